"""Moodle component core_files: listing and filling a user's draft area."""

from __future__ import annotations

import base64
from typing import Any

from tests.support.fake_moodle.params import Int, Text, opt
from tests.support.fake_moodle.registry import Call, webservice
from tests.support.fake_moodle.site import USER_CONTEXT, USER_FULLNAME, DraftFile
from tests.support.fake_moodle.wire import (
    MoodleException,
    NotImplementedByFake,
    coding_error,
    invalid_parameter,
)


def _draft_url(call: Call, itemid: int, draft: DraftFile) -> str:
    area = f"{USER_CONTEXT}/user/draft/{itemid}"
    return f"{call.root}/draftfile.php/{area}{draft.filepath}{draft.filename}"


@webservice(
    {
        "contextid": Int(),
        "component": Text(),
        "filearea": Text(),
        "itemid": Int(),
        "filepath": Text(),
        "filename": Text(),
        "modified": opt(Int()),
        "contextlevel": opt(Text()),
        "instanceid": opt(Int()),
    }
)
def core_files_get_files(call: Call) -> Any:
    p = call.params
    if (p["contextid"], p["component"], p["filearea"]) != (USER_CONTEXT, "user", "draft"):
        raise NotImplementedByFake("core_files_get_files outside the user draft area")
    files = []
    for draft in call.state.drafts.get(p["itemid"], []):
        if draft.filepath != p["filepath"] or (p["filename"] and draft.filename != p["filename"]):
            continue
        files.append(
            {
                "contextid": USER_CONTEXT,
                "component": "user",
                "filearea": "draft",
                "itemid": p["itemid"],
                "filepath": draft.filepath,
                "filename": draft.filename,
                "isdir": False,
                "url": _draft_url(call, p["itemid"], draft),
                "timemodified": draft.timecreated,
                "timecreated": draft.timecreated,
                "filesize": len(draft.content),
                "author": USER_FULLNAME,
                "license": "unknown",
            }
        )
    return {"parents": [], "files": files}


@webservice(
    {
        "contextid": opt(Int()),
        "component": Text(),
        "filearea": Text(),
        "itemid": Int(),
        "filepath": Text(),
        "filename": Text(),
        "filecontent": Text(),
        "contextlevel": opt(Text()),
        "instanceid": opt(Int()),
    }
)
def core_files_upload(call: Call) -> Any:
    p = call.params
    if (p["component"], p["filearea"]) != ("user", "draft"):
        raise coding_error("File can be uploaded to user draft area only")
    itemid = p["itemid"] or call.state.new_itemid()
    if any(
        d.filename == p["filename"] and d.filepath == p["filepath"]
        for d in call.state.drafts.get(itemid, [])
    ):
        raise MoodleException("moodle_exception", "fileexist", "error/fileexist")
    try:
        content = base64.b64decode(p["filecontent"], validate=True)
    except ValueError:
        raise invalid_parameter() from None
    call.state.add_draft_file(itemid, p["filename"], content, p["filepath"])
    draft = call.state.drafts[itemid][-1]
    return {
        "contextid": USER_CONTEXT,
        "component": "user",
        "filearea": "draft",
        "itemid": itemid,
        "filepath": draft.filepath,
        "filename": draft.filename,
        "url": _draft_url(call, itemid, draft),
    }
