"""Importing an event's files: the Lima folder as it is, in other shapes, broken, and again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.models import Event, Participant, ParticipantCreate, Topic
from app.services import events, topics
from app.services.columns import Kind
from app.services.errors import ImportRejected, InvalidInput
from app.services.importing import (
    TEMPLATE_DIR,
    import_file,
    import_folder,
    template_csv,
    templates_for_import,
)
from app.services.tabular import MAX_BYTES
from tests.app.factories import (
    LIMA,
    LIMA_FILES,
    as_csv,
    as_xlsx,
    copy_lima,
    import_lima,
    lima_rows,
    make_event,
)

DIGITALIZATION = (
    ["AR", "CR", "CU", "EC", "GT", "HN", "PA", "PE", "PY", "DO", "SV", "UY"],
    ["CL", "MX"],
)


def with_accents(rows: list[list[str]]) -> list[list[str]]:
    """Lima's names are ASCII; these make encodings matter."""
    return [[c.replace("Peru", "Perú").replace("Mexico", "México") for c in row] for row in rows]


def nothing_saved(session: Session) -> bool:
    session.rollback()
    return not session.exec(select(Event)).all() and not session.exec(select(Participant)).all()


def rejected(session: Session, folder: Path) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_lima(session, folder)
    assert nothing_saved(session)
    assert str(caught.value).startswith(f"nothing was imported: {len(caught.value.problems)} ")
    return [str(problem) for problem in caught.value.problems]


def test_the_lima_folder_imports_unchanged(session: Session) -> None:
    event = import_lima(session)
    people = events.list_participants(session, event=event)
    assert len(people) == 17
    assert [p.name for p in people if not p.active] == ["Colombia"]
    assert (event.rounds, event.subject_mode) == (5, "rotating")
    assert [s.code for s in events.list_subjects(session, event=event)] == ["1", "2", "3", "4", "5"]
    tables = events.list_tables(session, event=event)
    assert [(t.name, t.capacity, t.min_size) for t in tables] == [
        (f"Table {n}", 4, 3) for n in range(1, 6)
    ]
    found = topics.list_topics(session, event=event)
    assert len(found) == 23
    assert topics.topic_people(session, topic=found[0]) == DIGITALIZATION
    policies = topics.get_topic(session, event=event, name="Impact of IP policies")
    assert topics.topic_people(session, topic=policies) == (["*"], ["*"])
    green = topics.get_topic(session, event=event, name="Green patents")
    assert "CO" in topics.topic_people(session, topic=green)[0]  # kept, though not attending


def test_the_lima_files_as_xlsx(session: Session, tmp_path: Path) -> None:
    for name in LIMA_FILES:
        xlsx = tmp_path / name.replace(".csv", ".xlsx")
        xlsx.write_bytes(as_xlsx(lima_rows(name)))
    event = import_lima(session, tmp_path)
    assert len(events.list_participants(session, event=event, active_only=True)) == 16
    assert len(topics.list_topics(session, event=event)) == 23
    first = topics.list_topics(session, event=event)[0]
    assert topics.topic_people(session, topic=first) == DIGITALIZATION


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8-sig", ","),  # Excel's "CSV UTF-8"
        ("utf-8", ";"),  # Excel in Spanish, French, German...
        ("cp1252", ";"),  # Excel's plain "CSV" on Windows
        ("latin-1", "|"),
        ("utf-16", "\t"),  # Excel's "Unicode text", with its byte-order mark
        ("utf-16-le", "\t"),  # the same without one
    ],
)
def test_the_lima_files_in_other_encodings_and_delimiters(
    session: Session, tmp_path: Path, encoding: str, delimiter: str
) -> None:
    files = {n: as_csv(with_accents(lima_rows(n)), delimiter).encode(encoding) for n in LIMA_FILES}
    event = import_lima(session, copy_lima(tmp_path, **files))
    names = {p.name for p in events.list_participants(session, event=event)}
    assert {"Perú", "México", "Costa Rica"} <= names and len(names) == 17
    first = topics.list_topics(session, event=event)[0]
    assert topics.topic_people(session, topic=first) == DIGITALIZATION


def test_wrong_columns(session: Session, tmp_path: Path) -> None:
    tables = b"name,capacty,min_size\nTable 1,4,3\n"
    expected = "a tables file has the columns name, capacity (optional: min_size, subject)"
    assert rejected(session, copy_lima(tmp_path, **{"tables.csv": tables})) == [
        f"tables.csv, line 1: missing column 'capacity'; {expected}",
        f"tables.csv, line 1: unknown column 'capacty' (did you mean 'capacity'?); {expected}",
    ]


def test_unknown_names_in_needs_and_offers(session: Session, tmp_path: Path) -> None:
    rows = lima_rows("needs_offers.csv")
    ai = next(i for i, row in enumerate(rows) if row[1] == "AI tools for office management")
    madrid = next(i for i, row in enumerate(rows) if row[1] == "Madrid Protocol")
    rows[ai][4] = "Brazil;Atlantis;Venezuela"
    rows[madrid][5] = "Brasil;Colombia;Mexico"
    rows[madrid][0] = "9"
    problems = rejected(session, copy_lima(tmp_path, **{"needs_offers.csv": as_csv(rows).encode()}))
    fix1 = "add it to the participants file or fix the spelling"
    assert problems == [
        f"needs_offers.csv, line {ai + 1}: unknown participant in requesting: 'Atlantis'; {fix1}",
        f"needs_offers.csv, line {madrid + 1}: unknown subject '9' (the subjects are: "
        "1, 2, 3, 4, 5); add it to the subjects file or fix the number",
        f"needs_offers.csv, line {madrid + 1}: unknown participant in offering: "
        f"'Brasil' (did you mean 'Brazil'?); {fix1}",
    ]
    assert (ai + 1, madrid + 1) == (5, 11)


def test_duplicates_in_every_kind_of_file(session: Session, tmp_path: Path) -> None:
    def plus(name: str, row: str) -> bytes:
        return (LIMA / name).read_bytes() + row.encode() + b"\n"

    folder = copy_lima(
        tmp_path,
        **{
            "countries.csv": plus("countries.csv", "Chile,CL,es,yes"),
            "subjects.csv": plus("subjects.csv", "3,Public policies again"),
            "tables.csv": plus("tables.csv", "Table 2,4,3"),
            "needs_offers.csv": plus("needs_offers.csv", "3,Madrid Protocol,,,Peru,Brazil"),
        },
    )
    assert rejected(session, folder) == [
        "countries.csv, line 19: code 'CL' is already used on line 4; "
        "give each participant their own code",
        "subjects.csv, line 7: subject '3' is already on line 4; list each subject once",
        "tables.csv, line 7: table 'Table 2' is already on line 3; list each table once",
        "needs_offers.csv, line 25: this topic is already on line 11; list each topic once",
    ]


def test_an_empty_file(session: Session, tmp_path: Path) -> None:
    assert rejected(session, copy_lima(tmp_path, **{"tables.csv": b""})) == [
        "tables.csv: the file is empty; it needs a header row and one row per entry"
    ]


def test_a_huge_file(session: Session, tmp_path: Path) -> None:
    lima = (LIMA / "countries.csv").read_bytes()
    huge = lima + b"Atlantis,AT,es,yes\n" * (MAX_BYTES // 19)
    assert 5.0 * 1024 * 1024 < len(huge) < 5.1 * 1024 * 1024
    assert rejected(session, copy_lima(tmp_path, **{"countries.csv": huge})) == [
        "countries.csv: the file is 5.0 MB, over the 5 MB limit; split it into smaller files",
        "needs_offers.csv: not checked, since countries.csv could not be read; fix that first",
    ]


def test_binary_garbage(session: Session, tmp_path: Path) -> None:
    text = (LIMA / "countries.csv").read_bytes().replace(b"Chile,CL", b"Ch\x00\x81\xfe,CL")
    assert rejected(session, copy_lima(tmp_path, **{"countries.csv": text})) == [
        "countries.csv, line 4: this line holds bytes that are not text, so this is not a CSV "
        "file; save the sheet as CSV (UTF-8) or as XLSX",
        "needs_offers.csv: not checked, since countries.csv could not be read; fix that first",
    ]


def test_bad_values_and_row_shapes(session: Session, tmp_path: Path) -> None:
    countries = (
        (LIMA / "countries.csv").read_bytes().replace(b"Cuba,CU,es,yes", b"Cuba,CU,es,maybe")
    )
    tables = b"name,capacity,min_size\nTable 1,four,3\nTable 2,4,3,9\nTable 3,3,4\n"
    assert rejected(
        session, copy_lima(tmp_path, **{"countries.csv": countries, "tables.csv": tables})
    ) == [
        # Cuba's needs and offers are not reported again: its row is the problem.
        "countries.csv, line 6: attended is 'maybe'; write yes or no",
        "tables.csv, line 2: capacity: enter a whole number, such as 4",
        "tables.csv, line 3: this row has 4 values but the header has 3 columns; "
        "put quotes around values that contain the delimiter",
        "tables.csv, line 4: min_size 4 is above the capacity 3; "
        "lower min_size or raise the capacity",
    ]


def test_reimport_updates_without_duplicating(session: Session, tmp_path: Path) -> None:
    event = import_lima(session)
    events.add_participant(session, event=event, data=ParticipantCreate(name="Guest", code="GU"))
    countries = lima_rows("countries.csv")
    countries[-1][3] = "yes"  # Colombia attends after all
    countries[3][2] = "en"  # Chile works in English
    needs = lima_rows("needs_offers.csv")
    needs[1][5] = "Chile;Mexico;Peru"
    folder = copy_lima(
        tmp_path,
        **{"countries.csv": as_csv(countries).encode(), "needs_offers.csv": as_csv(needs).encode()},
    )
    report = import_folder(session, folder=folder, event_name="Lima 2022")
    assert report.lines() == [
        "participants: 0 added, 17 updated",
        "subjects: 0 added, 5 updated",
        "tables: 0 added, 5 updated",
        "needs_offers: 0 added, 23 updated",
    ]
    people = {p.code: p for p in events.list_participants(session, event=event)}
    assert len(people) == 18 and people["CO"].active and people["CL"].language == "en"
    assert len(session.exec(select(Topic)).all()) == 23
    first = topics.list_topics(session, event=event)[0]
    assert topics.topic_people(session, topic=first)[1] == ["CL", "MX", "PE"]


def test_one_file_at_a_time_into_an_event(session: Session) -> None:
    event = make_event(session, name="Lima", rounds=5, subject_mode="rotating")
    files: list[tuple[Kind, str]] = [
        ("participants", "countries.csv"),
        ("subjects", "subjects.csv"),
        ("needs_offers", "needs_offers.csv"),
    ]
    for kind, name in files:
        import_file(session, event=event, kind=kind, data=(LIMA / name).read_bytes(), file=name)
    assert len(topics.list_topics(session, event=event)) == 23
    with pytest.raises(ImportRejected, match="tables.csv, line 1: missing column 'capacity'"):
        import_file(session, event=event, kind="tables", data=b"name\nT1\n", file="tables.csv")


def test_participants_without_codes_get_one_and_are_matched_by_name(session: Session) -> None:
    event = make_event(session)
    first = b"name,organization\nAna,INPI\nBen,IMPI\n"
    import_file(session, event=event, kind="participants", data=first, file="people.csv")
    again = b"name,organization\nana,INPI Argentina\nCleo,SIC\n"
    report = import_file(session, event=event, kind="participants", data=again, file="people.csv")
    assert report.lines() == ["participants: 1 added, 1 updated"]
    people = events.list_participants(session, event=event)
    assert [(p.code, p.name, p.organization) for p in people] == [
        ("P1", "ana", "INPI Argentina"),
        ("P2", "Ben", "IMPI"),
        ("P3", "Cleo", "SIC"),
    ]


def test_header_aliases(session: Session) -> None:
    event = make_event(session)
    data = "Country;ISO code;Language;Attended?\nPerú;PE;es;Sí\nChile;CL;es;No\n".encode("cp1252")
    import_file(session, event=event, kind="participants", data=data, file="countries.csv")
    people = events.list_participants(session, event=event)
    assert [(p.name, p.code, p.country, p.active) for p in people] == [
        ("Perú", "PE", "Perú", True),
        ("Chile", "CL", "Chile", False),
    ]


def test_folder_problems(session: Session, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="has no participants file; add participants.csv"):
        import_folder(
            session,
            folder=copy_lima(tmp_path / "a", **{"countries.csv": None}),
            event_name="X",
            rounds=3,
        )
    with pytest.raises(InvalidInput, match="event 'X' is new: say how many rounds it has"):
        import_folder(session, folder=LIMA, event_name="X")
    with pytest.raises(
        InvalidInput, match="has 2 participants files \\(countries.csv, participants.csv\\)"
    ):
        both = copy_lima(
            tmp_path / "b", **{"participants.csv": (LIMA / "countries.csv").read_bytes()}
        )
        import_folder(session, folder=both, event_name="X", rounds=3)
    assert nothing_saved(session)


def test_templates_are_published_and_import(session: Session, tmp_path: Path) -> None:
    templates = templates_for_import()
    assert set(templates) == {"participants", "subjects", "tables", "needs_offers"}
    for kind, (header, example) in templates.items():
        assert len(header) == len(example)
        assert (TEMPLATE_DIR / f"{kind}.csv").read_text(encoding="utf-8") == template_csv(kind)
    report = import_folder(session, folder=TEMPLATE_DIR, event_name="From templates", rounds=1)
    assert report.lines() == [f"{kind}: 1 added, 0 updated" for kind in templates]


def test_names_match_whatever_the_apostrophes_and_quotes(session: Session) -> None:
    """A spreadsheet that typed "Côte d’Ivoire" (typographic) and one that typed "Cote d'Ivoire"
    (straight, no accent) name the same participant."""
    event = make_event(session)
    people = "name,code\nCôte d’Ivoire,CI\nO’Higgins “Chile”,OH\n".encode()
    import_file(session, event=event, kind="participants", data=people, file="people.csv")
    subjects = b"number,name\n1,Trade\n"
    import_file(session, event=event, kind="subjects", data=subjects, file="subjects.csv")
    needs = (
        b"subject,topic,request,offer,requesting,offering\n"
        b'1,Exports,,,Cote d\'Ivoire,"O\'Higgins ""Chile"""\n'
    )
    import_file(session, event=event, kind="needs_offers", data=needs, file="needs.csv")
    topic = topics.list_topics(session, event=event)[0]
    assert topics.topic_people(session, topic=topic) == (["CI"], ["OH"])


def test_value_problems_in_the_readers_language(session: Session) -> None:
    """A long name or a wrong number is said in the organizer's words, in their language."""
    from app import i18n

    event = make_event(session)
    long = ("name,code\n" + "N" * 201 + ",X\n").encode()
    with pytest.raises(ImportRejected) as caught:
        import_file(session, event=event, kind="participants", data=long, file="people.csv")
    assert caught.value.problems[0].message == ("name: shorten this to 200 characters or fewer")
    with i18n.use_language("es"), pytest.raises(ImportRejected) as spanish:
        import_file(
            session, event=event, kind="tables", data=b"name,capacity\nT1,four\n", file="t.csv"
        )
    assert "capacity:" in spanish.value.problems[0].message
    assert "número entero" in spanish.value.problems[0].message
