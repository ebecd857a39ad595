"""The production tests: real services (moto, Redis, gunicorn, RQ workers) in subprocesses."""
