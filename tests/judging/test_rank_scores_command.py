"""`manage.py rank_scores`: the engine on exported files, and the round trip from an edition."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from judging.exports import criteria_csv, favourites_csv, scores_csv
from judging.results import EditionResults, rank_edition, results_settings
from tests.judging import results_scenario

SCORES = """category,film,juror,criterion,score
lycee,A,j1,Note,12
lycee,A,j2,Note,14
lycee,B,j1,Note,13
lycee,B,j2,Note,13
lycee,C,j1,Note,19
college,D,j1,Note,10
college,D,j2,Note,11
"""
CRITERIA = "criterion,weight,min,max,priority\nNote,1,0,20,1\n"
FAVOURITES = "category,film,juror\nlycee,B,j2\n"


def write(tmp_path: Path, **files) -> dict[str, str]:
    paths = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    return paths


def run(*args) -> dict:
    out = io.StringIO()
    call_command("rank_scores", *args, "--json", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_prints_the_ranking_as_json(tmp_path):
    files = write(tmp_path, scores=SCORES, criteria=CRITERIA, favs=FAVOURITES)
    result = run(files["scores"], "--criteria", files["criteria"], "--favourites", files["favs"])
    assert result == {
        "categories": {
            "college": [
                {
                    "film": "D",
                    "score": 10.5,
                    "rank": 1,
                    "jurors": 2,
                    "tie_break": None,
                    "status": "ranked",
                }
            ],
            "lycee": [
                {
                    "film": "B",
                    "score": 13.0,
                    "rank": 1,
                    "jurors": 2,
                    "tie_break": "favourites",
                    "status": "ranked",
                },
                {
                    "film": "A",
                    "score": 13.0,
                    "rank": 2,
                    "jurors": 2,
                    "tie_break": "favourites",
                    "status": "ranked",
                },
                {
                    "film": "C",
                    "score": 19.0,
                    "rank": None,
                    "jurors": 1,
                    "tie_break": None,
                    "status": "insufficient",
                },
            ],
        }
    }


def test_options_are_applied(tmp_path):
    files = write(tmp_path, scores=SCORES, criteria=CRITERIA)
    result = run(files["scores"], "--criteria", files["criteria"], "--min-jurors", "1")
    assert [(f["film"], f["rank"], f["tie_break"]) for f in result["categories"]["lycee"]] == [
        ("C", 1, None),
        ("A", 2, "shared"),
        ("B", 2, "shared"),
    ]
    result = run(
        files["scores"],
        "--criteria",
        files["criteria"],
        "--normalize",
        "zscore",
        "--aggregate",
        "median",
    )
    assert [f["status"] for f in result["categories"]["lycee"]] == [
        "ranked",
        "ranked",
        "insufficient",
    ]


def test_human_readable_output_without_json(tmp_path):
    files = write(tmp_path, scores=SCORES, criteria=CRITERIA)
    out = io.StringIO()
    call_command("rank_scores", files["scores"], "--criteria", files["criteria"], stdout=out)
    assert out.getvalue().splitlines()[0] == "college"


@pytest.mark.parametrize(
    ("scores", "criteria", "message"),
    [
        (
            "category,film,juror,score\nlycee,A,j1,12\n",
            CRITERIA,
            "colonne(s) manquante(s) : criterion",
        ),
        (SCORES, "criterion,weight,min,max\nNote,1,0,20\n", "colonne(s) manquante(s) : priority"),
        (
            "category,film,juror,criterion,score\nlycee,A,j1,Son,12\n",
            CRITERIA,
            "ligne 2 : critère inconnu « Son »",
        ),
        (
            "category,film,juror,criterion,score\nlycee,A,j1,Note,12\nlycee,A,j2,Note,20.5\n",
            CRITERIA,
            "ligne 3 : la note 20.5 de « Note » sort de l'échelle [0, 20]",
        ),
        (
            "category,film,juror,criterion,score\nlycee,A,j1,Note,-1\n",
            CRITERIA,
            "sort de l'échelle",
        ),
        (
            # The same text read for two criteria is checked against each one's scale.
            "category,film,juror,criterion,score\nlycee,A,j1,Note,8\nlycee,A,j1,Son,8\n",
            CRITERIA + "Son,1,1,5,0\n",
            "ligne 3 : la note 8 de « Son » sort de l'échelle [1, 5]",
        ),
        (
            "category,film,juror,criterion,score\nlycee,A,j1,Note,douze\n",
            CRITERIA,
            "« douze » n'est pas un nombre",
        ),
        (
            "category,film,juror,criterion,score\nlycee,A,j1,Note,2\nlycee,A,j1,Note,3\n",
            CRITERIA,
            "note en double",
        ),
        (SCORES, "criterion,weight,min,max,priority\nNote,1,20,0,0\n", "note minimale"),
        (SCORES, "criterion,weight,min,max,priority\nNote,0,0,20,0\n", "coefficient"),
    ],
)
def test_bad_files_stop_with_a_french_message_and_code_2(tmp_path, scores, criteria, message):
    files = write(tmp_path, scores=scores, criteria=criteria)
    with pytest.raises(CommandError) as error:
        run(files["scores"], "--criteria", files["criteria"])
    assert message in str(error.value)
    assert error.value.returncode == 2


def test_missing_file(tmp_path):
    files = write(tmp_path, criteria=CRITERIA)
    with pytest.raises(CommandError, match="Fichier introuvable") as error:
        run(str(tmp_path / "absent.csv"), "--criteria", files["criteria"])
    assert error.value.returncode == 2


def test_exit_code_from_the_shell(tmp_path):
    files = write(tmp_path, scores="category,film\nlycee,A\n", criteria=CRITERIA)
    completed = subprocess.run(
        [sys.executable, "manage.py", "rank_scores", files["scores"], "--criteria"]
        + [files["criteria"], "--json"],
        cwd=Path(django_settings.BASE_DIR),
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )
    assert completed.returncode == 2
    assert "colonne(s) manquante(s) : juror, criterion, score" in completed.stderr


# Round trip: an edition's exported files reproduce its ranking exactly.


@pytest.fixture
def scenario(edition):
    return results_scenario.build(edition)


def test_engine_input_keeps_only_the_counting_scores(scenario, edition):
    data = EditionResults.load(edition).input
    rows, criteria, favourites = data.rows, data.criteria, data.favourites
    f, (j1, j2, j3), dropped = scenario.films, scenario.jurors, scenario.dropped
    counted = sorted({(r.film, r.juror) for r in rows})
    assert counted == sorted(
        (str(film.pk), str(juror.pk))
        for film, juror in [
            (f.a, j1),
            (f.a, j2),
            (f.a, j3),
            (f.b, j1),
            (f.b, j2),
            (f.b, j3),
            (f.b, dropped),
            (f.c, j1),
            (f.c, j2),
            (f.d, j1),
        ]
    )
    assert [(c.name, c.weight, c.min, c.max, c.priority) for c in criteria] == [
        ("Scénario", 2.0, 0.0, 10.0, True),
        ("Image", 1.0, 0.0, 10.0, False),
    ]
    assert sorted(favourites) == sorted(
        [("lycee", str(f.a.pk), str(j2.pk)), ("lycee", str(f.b.pk), str(dropped.pk))]
    )


def test_rank_edition_uses_the_edition_settings(scenario, edition):
    f = scenario.films
    ranking = rank_edition(edition)
    assert {c: [(x.film, x.score, x.rank, x.tie_break) for x in v] for c, v in ranking.items()} == {
        "college": [(str(f.d.pk), 10.0, None, None)],
        "lycee": [
            (str(f.b.pk), 15.0, 1, None),
            (str(f.a.pk), 14.0, 2, "priority"),
            (str(f.c.pk), 14.0, 3, "priority"),
        ],
    }
    settings = results_settings(edition)
    settings.min_jurors = 1
    settings.save()
    assert [x.rank for x in rank_edition(edition)["college"]] == [1]
    assert [x.rank for x in rank_edition(edition, min_jurors=3)["lycee"]] == [1, 2, None]


@pytest.mark.parametrize("normalize", ["none", "zscore"])
@pytest.mark.parametrize("aggregate", ["mean", "median", "trimmed"])
def test_exported_files_reproduce_the_edition_ranking(
    scenario, edition, tmp_path, normalize, aggregate
):
    files = write(
        tmp_path,
        scores=scores_csv(edition),
        criteria=criteria_csv(edition),
        favs=favourites_csv(edition),
    )
    printed = run(
        files["scores"],
        "--criteria",
        files["criteria"],
        "--favourites",
        files["favs"],
        "--normalize",
        normalize,
        "--aggregate",
        aggregate,
        "--min-jurors",
        "2",
    )
    ranking = rank_edition(edition, normalize=normalize, aggregate=aggregate, min_jurors=2)
    expected = {c: [film.as_dict() for film in films] for c, films in ranking.items()}
    assert printed == {"categories": expected}
    assert len(expected["lycee"]) == 3


def test_export_scores_writes_the_three_files(scenario, edition, tmp_path):
    call_command("export_scores", str(edition.pk), "--out", str(tmp_path), stdout=io.StringIO())
    assert (tmp_path / "scores.csv").read_text(encoding="utf-8") == scores_csv(edition)
    printed = run(
        str(tmp_path / "scores.csv"),
        "--criteria",
        str(tmp_path / "criteria.csv"),
        "--favourites",
        str(tmp_path / "favourites.csv"),
    )
    expected = {c: [f.as_dict() for f in films] for c, films in rank_edition(edition).items()}
    assert printed == {"categories": expected}


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example")', "+1", "-2+3", "@SUM(A1)"])
def test_guarded_files_reproduce_the_edition_ranking(scenario, edition, tmp_path, name):
    """Text guarded against formulas reads back as typed; our negative numbers stay numbers."""
    scenario.scenario.name = name
    scenario.scenario.save(update_fields=["name"])
    scenario.image.min_score = -10
    scenario.image.save(update_fields=["min_score"])
    scenario.lycee.slug = "-lycee"
    scenario.lycee.save(update_fields=["slug"])
    criteria = criteria_csv(edition)
    assert list(csv.reader(io.StringIO(criteria)))[1:] == [
        [f"'{name}", "2", "0", "10", "1"],
        ["Image", "1", "-10", "10", "0"],
    ]
    assert scores_csv(edition).splitlines()[1].startswith("'-lycee,")
    files = write(
        tmp_path, scores=scores_csv(edition), criteria=criteria, favs=favourites_csv(edition)
    )
    printed = run(files["scores"], "--criteria", files["criteria"], "--favourites", files["favs"])
    expected = {c: [f.as_dict() for f in films] for c, films in rank_edition(edition).items()}
    assert printed == {"categories": expected}
    assert sorted(expected) == ["-lycee", "college"]
