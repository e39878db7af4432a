"""Web round 74 (issue 13): fresh53's false alarms, removed.
An async handler that opens a file the app's configuration names by a written key (rhasspy's
`core.profile.write_path(core.profile.get("speech_to_text.sentences_ini"))`), reading it or
writing the body it awaited whole or values in memory, moves kilobytes a person edits through
the page cache (`config_files.py`); the JSON beside a test recording
(`wav_file.with_suffix(".json")`), parsed whole, is a few hundred bytes (`small_files.py`).
An upload copied from its stream, a path built from an upload's file name, a settings file
read under a file lock, and a JSON listing of a folder are still reported.
A loop over the posts an editor ticked (knowledge-repo's `/remove_posts_tags`) that executes
a DELETE built from the post it looked up writes per item anyway (`written_each.py`); the
same loop that only collects the posts, or deletes over rows it queried, is still reported."""

from __future__ import annotations

from pathlib import Path

from helpers import web_findings

# rhasspy-server-hermes's Quart API: profile files read and written in async handlers
_SERVER = """
    import json
    import os
    import tempfile
    from pathlib import Path

    from quart import Quart, jsonify, request

    app = Quart("voice")
    core = None


    @app.route("/api/sentences", methods=["GET", "POST"])
    async def api_sentences():
        if request.method == "POST":
            sentences_path = Path(
                core.profile.write_path(core.profile.get("speech_to_text.sentences_ini"))
            )
            data = await request.data
            with open(sentences_path, "wb") as sentences_file:
                sentences_file.write(data)
                return "ok"
        return ""


    @app.route("/api/custom-words", methods=["GET", "POST"])
    async def api_custom_words():
        system = core.profile.get("speech_to_text.system", "pocketsphinx")
        words_path = Path(
            core.profile.write_path(
                core.profile.get(f"speech_to_text.{system}.custom_words", "custom_words.txt")
            )
        )
        if request.method == "POST":
            with open(words_path, "w") as words_file:
                data = await request.data
                for line in data.decode().splitlines():
                    print(line.strip(), file=words_file)
            return "ok"
        with open(words_path, "r") as words_file:
            return jsonify([line.split() for line in words_file])


    @app.route("/api/slots/<name>", methods=["POST"])
    async def api_slots_by_name(name):
        slots_dir = Path(core.profile.read_path(core.profile.get("speech_to_text.slots_dir", "slots")))
        values = set(json.loads(await request.data))
        slot_path = slots_dir / name
        if slot_path.is_file():
            with open(slot_path, "r") as slot_file:
                values.update(line.strip() for line in slot_file)
        slot_path = Path(core.profile.write_path(core.profile.get("speech_to_text.slots_dir"), name))
        with open(slot_path, "w") as slot_file:
            for value in values:
                print(value, file=slot_file)
        return "ok"


    @app.route("/api/evaluate", methods=["POST"])
    async def api_evaluate():
        work_dir = tempfile.mkdtemp()
        expected = {}
        for wav_file in Path(work_dir).rglob("*.wav"):
            json_file = wav_file.with_suffix(".json")
            with open(json_file, "r") as expected_file:
                expected[wav_file.name] = json.load(expected_file)
            await core.transcribe_wav(wav_file.read_bytes())
        return jsonify(expected)
    """


def _app(code: str) -> dict[str, str]:
    return {"voice/__init__.py": "", "voice/server.py": code}


def test_files_the_profile_names_and_a_recordings_json_are_not_reported(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _app(_SERVER), "blocking-io-in-async") == set()


def test_an_upload_copied_from_its_stream_is_reported(tmp_path: Path) -> None:
    code = _SERVER.replace(
        "            data = await request.data\n"
        '            with open(sentences_path, "wb") as sentences_file:\n'
        "                sentences_file.write(data)\n",
        '            upload = (await request.files)["archive"]\n'
        '            with open(sentences_path, "wb") as sentences_file:\n'
        "                for chunk in upload.stream:\n"
        "                    sentences_file.write(chunk)\n",
    )
    assert web_findings(tmp_path, _app(code), "blocking-io-in-async") == {("voice/server.py", 19)}


def test_a_path_named_by_an_upload_is_reported(tmp_path: Path) -> None:
    code = _SERVER.replace(
        'core.profile.write_path(core.profile.get("speech_to_text.sentences_ini"))',
        "os.path.join(core.profile.get(\"temp_dir\"), (await request.files)['f'].filename)",
    )
    assert web_findings(tmp_path, _app(code), "blocking-io-in-async") == {("voice/server.py", 19)}


def test_a_settings_file_read_under_a_file_lock_is_reported(tmp_path: Path) -> None:
    code = _SERVER.replace(
        '        with open(words_path, "r") as words_file:\n'
        "            return jsonify([line.split() for line in words_file])\n",
        '        with FileLock(f"{words_path}.lock", timeout=2):\n'
        '            with open(words_path, "r") as words_file:\n'
        "                return jsonify([line.split() for line in words_file])\n",
    )
    assert web_findings(tmp_path, _app(code), "blocking-io-in-async") == {("voice/server.py", 40)}


def test_a_json_listing_of_a_folder_is_reported(tmp_path: Path) -> None:
    code = _SERVER.replace('wav_file.with_suffix(".json")', 'Path(work_dir) / "index.json"')
    assert web_findings(tmp_path, _app(code), "blocking-io-in-async") == {("voice/server.py", 64)}


# knowledge-repo's batch tag removal: the posts an editor ticked under one tag, posted as JSON
_TAGS = """
    from flask import Blueprint, request
    from sqlalchemy import and_

    from kr.models import Post, assoc_post_tag, db_session

    blueprint = Blueprint("tags", __name__)


    @blueprint.route("/remove_posts_tags", methods=["POST"])
    def remove_posts_tags():
        data = request.get_json()
        tag_id = data["tagId"]
        posts = data["posts"]
        posts = [str(x) for x in posts]
        for post in posts:
            post_id = (db_session.query(Post).filter(Post.path == post).first()).id
            delete_query = assoc_post_tag.delete().where(
                and_(assoc_post_tag.c.tag_id == tag_id, assoc_post_tag.c.post_id == post_id)
            )
            db_session.execute(delete_query)
        db_session.commit()
        return ""
    """
_KR_MODELS = """
    from sqlalchemy import Column, ForeignKey, Integer, String, Table
    from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

    Base = declarative_base()
    db_session = scoped_session(sessionmaker())
    assoc_post_tag = Table(
        "assoc_post_tag",
        Base.metadata,
        Column("post_id", Integer, ForeignKey("posts.id")),
        Column("tag_id", Integer, ForeignKey("tags.id")),
    )


    class Post(Base):
        __tablename__ = "posts"
        id = Column(Integer, primary_key=True)
        path = Column(String(512))
    """


def _kr(code: str) -> dict[str, str]:
    return {"kr/__init__.py": "", "kr/models.py": _KR_MODELS, "kr/tags.py": code}


def test_a_delete_per_ticked_post_is_write_bound_not_n_plus_one(tmp_path: Path) -> None:
    assert web_findings(tmp_path, _kr(_TAGS), "n-plus-one-query") == set()


def test_the_same_loop_that_only_collects_the_posts_is_reported(tmp_path: Path) -> None:
    code = _TAGS.replace(
        "            delete_query = assoc_post_tag.delete().where(\n"
        "                and_(assoc_post_tag.c.tag_id == tag_id, assoc_post_tag.c.post_id == post_id)\n"
        "            )\n"
        "            db_session.execute(delete_query)\n",
        "            found.append(post_id)\n",
    ).replace("        for post in posts:\n", "        found = []\n        for post in posts:\n")
    assert web_findings(tmp_path, _kr(code), "n-plus-one-query") == {("kr/tags.py", 17)}


def test_the_same_deletes_over_queried_rows_are_reported(tmp_path: Path) -> None:
    code = _TAGS.replace(
        'posts = data["posts"]', "posts = [p.path for p in db_session.query(Post).all()]"
    )
    assert web_findings(tmp_path, _kr(code), "n-plus-one-query") == {("kr/tags.py", 16)}
