# English date formats. Django's own end times with "P" ("2:29 p.m."), so a sentence that ends on a
# date ("… closes on Dec. 4, 2026, 2:29 p.m..") doubles its period. Times here end on "AM"/"PM".
# Everything not set here falls back to django/conf/locale/en/formats.py.
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "N j, Y, g:i A"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
