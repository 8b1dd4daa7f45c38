"""The sync planner, pure: feed items and Moodle's state in, a plan out. No I/O at all."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lms_sync.mapping import Mapping, MappingError
from lms_sync.models import (
    ActionKind,
    Filters,
    MoodleState,
    PublishedItem,
)
from lms_sync.planner import plan, sha1_key
from lms_sync.remote import SyncedModule

UUID_A = "11111111-1111-4111-8111-111111111111"
UUID_B = "22222222-2222-4222-8222-222222222222"
SHA256 = "a" * 64
SHA1 = "b" * 40


def item(uuid: str = UUID_A, **changes: object) -> PublishedItem:
    base = PublishedItem(
        uuid=uuid,
        version=1,
        title="Ньютон заңдары",
        language="kk",
        subject="physics",
        grades=(7,),
        sha256=SHA256,
        size=1000,
        scorm_version="2004 4th Edition",
        download_url=f"http://catalogue/api/v1/resources/{uuid}/package",
        published_at="2026-09-01T08:00:00Z",
        changed_at="2026-09-01T08:00:00Z",
        state="published",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def synced(uuid: str = UUID_A, *, sha1: str = SHA1, visible: bool = True) -> SyncedModule:
    return SyncedModule(
        cmid=40,
        instanceid=4,
        courseid=5,
        section=0,
        idnumber=f"sandyq:{uuid}",
        name="Ньютон заңдары",
        sha1hash=sha1,
        visible=visible,
        revision=1,
    )


EVERYTHING_THERE = MoodleState(
    categories={"sandyq-root": 1, "sandyq-subject-physics": 2},
    courses={"sandyq-course-physics-7": 5},
    modules={UUID_A: synced()},
)


def kinds(result: object) -> list[tuple[str, str]]:
    return [(str(a.kind), a.idnumber) for a in result.actions]  # type: ignore[attr-defined]


def test_an_empty_moodle_gets_the_root_the_subject_the_course_and_the_activity() -> None:
    result = plan([item()], MoodleState(), Mapping())
    assert kinds(result) == [
        ("create_category", "sandyq-root"),
        ("create_category", "sandyq-subject-physics"),
        ("create_course", "sandyq-course-physics-7"),
        ("add_scorm", f"sandyq:{UUID_A}"),
    ]
    root, subject, course, scorm = result.actions
    assert (root.name, root.parent) == ("Sandyq", "")
    assert (subject.name, subject.parent) == ("Физика", "sandyq-root")
    assert (course.name, course.shortname, course.parent) == (
        "Физика, 7-сынып",
        "sandyq-physics-7",
        "sandyq-subject-physics",
    )
    assert scorm.parent == "sandyq-course-physics-7" and scorm.item == item()


def test_nothing_to_do_when_moodle_has_the_same_package() -> None:
    result = plan([item()], EVERYTHING_THERE, Mapping(), sha1s={sha1_key(UUID_A, SHA256): SHA1})
    assert result.empty and result.unchanged == 1


def test_a_new_version_replaces_the_package_of_the_same_module() -> None:
    new = item(version=2, sha256="c" * 64)
    sha1s = {sha1_key(UUID_A, SHA256): SHA1, sha1_key(UUID_A, "c" * 64): "d" * 40}
    (action,) = plan([new], EVERYTHING_THERE, Mapping(), sha1s=sha1s).actions
    assert action.kind is ActionKind.UPDATE_PACKAGE
    assert (action.cmid, action.sha1, action.expected) == (40, SHA1, "d" * 40)
    assert "version 2" in action.describe()


def test_an_unknown_sha1_is_left_for_the_executor_to_compare() -> None:
    (action,) = plan([item()], EVERYTHING_THERE, Mapping()).actions
    assert action.kind is ActionKind.UPDATE_PACKAGE and action.expected == ""
    assert "not known yet" in action.reason


def test_unpublished_resources_are_hidden_never_deleted() -> None:
    gone = item(state="unpublished")
    sha1s = {sha1_key(UUID_A, SHA256): SHA1}
    (action,) = plan([gone], EVERYTHING_THERE, Mapping(), sha1s=sha1s).actions
    assert (action.kind, action.cmid) == (ActionKind.HIDE, 40)
    already = MoodleState(modules={UUID_A: synced(visible=False)})
    assert plan([gone], already, Mapping()).empty
    assert plan([gone], MoodleState(), Mapping()).empty  # never synced: nothing to hide
    assert {a.kind for a in plan([gone], EVERYTHING_THERE, Mapping()).actions} == {ActionKind.HIDE}


def test_a_republished_resource_is_shown_again() -> None:
    state = MoodleState(modules={UUID_A: synced(visible=False)})
    sha1s = {sha1_key(UUID_A, SHA256): SHA1}
    (action,) = plan([item()], state, Mapping(), sha1s=sha1s).actions
    assert action.kind is ActionKind.SHOW


def test_several_grades_go_to_the_lowest_and_no_subject_goes_to_other() -> None:
    items = [item(grades=(9, 7, 8)), item(UUID_B, subject="", grades=())]
    result = plan(items, MoodleState(), Mapping())
    courses = {a.idnumber: a for a in result.actions if a.kind is ActionKind.CREATE_COURSE}
    assert set(courses) == {"sandyq-course-physics-7", "sandyq-course-other-all"}
    assert courses["sandyq-course-other-all"].name == "Басқа"
    assert courses["sandyq-course-other-all"].parent == "sandyq-subject-other"


def test_existing_containers_are_not_created_again() -> None:
    state = MoodleState(categories={"sandyq-root": 1, "sandyq-subject-physics": 2})
    result = plan([item(), item(UUID_B, grades=(8,))], state, Mapping())
    assert [a.kind for a in result.structure] == [ActionKind.CREATE_COURSE] * 2
    state = MoodleState(courses={"sandyq-course-physics-7": 5})
    assert kinds(plan([item()], state, Mapping())) == [("add_scorm", f"sandyq:{UUID_A}")]


def test_the_last_feed_entry_of_a_resource_wins() -> None:
    result = plan([item(), item(state="unpublished")], EVERYTHING_THERE, Mapping())
    assert [a.kind for a in result.actions] == [ActionKind.HIDE]


def test_filters_leave_other_resources_alone() -> None:
    items = [item(), item(UUID_B, subject="chemistry", grades=(9,), language="ru")]
    by_subject = plan(items, MoodleState(), Mapping(), Filters(subjects=frozenset({"chemistry"})))
    assert by_subject.skipped == 1
    assert [a.uuid for a in by_subject.resource_actions] == [UUID_B]
    by_grade = plan(items, MoodleState(), Mapping(), Filters(grades=frozenset({7, 8})))
    assert [a.uuid for a in by_grade.resource_actions] == [UUID_A]
    by_language = plan(items, MoodleState(), Mapping(), Filters(languages=frozenset({"ru"})))
    assert [a.uuid for a in by_language.resource_actions] == [UUID_B]
    # an unpublished resource outside the filters is not hidden either
    gone = plan([item(state="unpublished")], EVERYTHING_THERE, Mapping(),
                Filters(subjects=frozenset({"chemistry"})))  # fmt: skip
    assert gone.empty and gone.skipped == 1


def test_the_mapping_is_configurable() -> None:
    mapping = Mapping.from_config(
        {
            "root_name": "",
            "names": "ru",
            "subject_names": {"physics": "Физика (углублённая)"},
            "course_shortname": "SQ-{subject}-{grade}",
        }
    )
    result = plan([item(), item(UUID_B, subject="chemistry")], MoodleState(), mapping)
    categories = [a for a in result.actions if a.kind is ActionKind.CREATE_CATEGORY]
    assert [(a.name, a.parent) for a in categories] == [
        ("Химия", ""),
        ("Физика (углублённая)", ""),
    ]
    course = next(a for a in result.actions if a.idnumber == "sandyq-course-physics-7")
    assert (course.name, course.shortname) == ("Физика (углублённая), 7 класс", "SQ-physics-7")


@pytest.mark.parametrize(
    ("names", "grade", "category", "course"),
    [
        ("kk", 7, "Физика", "Физика, 7-сынып"),
        ("ru", 7, "Физика", "Физика, 7 класс"),
        ("en", 7, "Physics", "Physics, Grade 7"),  # was "Physics, grade 7"
        ("kk", 0, "Физика", "Физика, Мектепалды даярлық сыныбы"),  # was "Физика, 0-сынып"
        ("ru", 0, "Физика", "Физика, Класс предшкольной подготовки"),
        ("en", 0, "Physics", "Physics, Pre-school class"),
        ("en", 12, "Physics", "Physics, Grade 12"),
    ],
)
def test_categories_and_courses_are_named_in_the_vocabulary_words(
    names: str, grade: int, category: str, course: str
) -> None:
    mapping = Mapping(names=names)
    assert mapping.category("physics").name == category
    assert mapping.course(item(grades=(grade,))).fullname == course


def test_a_subject_outside_the_vocabulary_names_itself_and_templates_may_name_the_grade() -> None:
    mapping = Mapping(course_fullname="{grade_name}: {subject} ({grade})")
    assert mapping.category("home_economics").name == "home_economics"  # was "Home economics"
    assert mapping.category("other").name == "Басқа"
    course = mapping.course(item(subject="chemistry", grades=(0,)))
    assert course.fullname == "Мектепалды даярлық сыныбы: Химия (0)"
    assert course.idnumber == "sandyq-course-chemistry-0"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"names": "de"}, "mapping.names"),
        ({"colour": "red"}, "unknown keys colour"),
        ({"course_idnumber": "x-{subject}"}, "must contain {grade}"),
        ({"section": "one"}, "mapping.section"),
    ],
)
def test_a_wrong_mapping_says_which_key(table: dict[str, object], message: str) -> None:
    with pytest.raises(MappingError, match=message):
        Mapping.from_config(table)


def test_the_plan_as_json_and_as_lines() -> None:
    result = plan([item()], MoodleState(), Mapping())
    data = result.to_json()
    assert data["counts"]["add_scorm"] == 1 and data["counts"]["create_category"] == 2
    assert data["actions"][-1] == {
        "kind": "add_scorm",
        "idnumber": f"sandyq:{UUID_A}",
        "name": "Ньютон заңдары",
        "parent": "sandyq-course-physics-7",
        "uuid": UUID_A,
        "title": "Ньютон заңдары",
        "version": 1,
        "reason": "version 1",
    }
    assert result.actions[-1].describe() == (
        f'add SCORM "Ньютон заңдары" (sandyq:{UUID_A}) to sandyq-course-physics-7'
    )
