"""Rasa's conversations are stored encrypted, and read back as Rasa wrote them."""

from __future__ import annotations

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.store.rasa_tracker import EncryptedSQLTrackerStore

SECRET = "tracker-tests-secret"
WORDS = "Je m'appelle Fatoumata Kouyaté, 06 77 88 99 00"
DOMAIN = Domain.from_yaml("""
version: "3.1"
slots:
  dossier_id:
    type: text
    mappings: [{type: custom}]
""")


def _store(path, secret=SECRET) -> EncryptedSQLTrackerStore:
    return EncryptedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path),
                                    secret_key=secret)


def test_messages_are_not_in_clear_in_the_file_and_come_back_intact(tmp_path):
    db = tmp_path / "rasa-tracker.db"
    store = _store(db)
    tracker = DialogueStateTracker("a" * 32, DOMAIN.slots)
    tracker.update(UserUttered(WORDS, {"name": "greet", "confidence": 0.9}))
    tracker.update(BotUttered("Bonjour Fatoumata Kouyaté"))
    tracker.update(SlotSet("dossier_id", "d1"))
    asyncio.run(store.save(tracker))

    raw = b"".join(p.read_bytes() for p in tmp_path.glob("rasa-tracker.db*"))
    assert b"Kouyat" not in raw and b"06 77 88" not in raw and b"Fatoumata" not in raw
    assert b"a" * 32 in raw  # the pseudonymous id stays queryable (erasure deletes by it)

    again = asyncio.run(_store(db).retrieve("a" * 32))
    assert again.latest_message.text == WORDS
    assert again.get_slot("dossier_id") == "d1"
    assert [e.text for e in again.events if isinstance(e, BotUttered)] == [
        "Bonjour Fatoumata Kouyaté"]


def test_saving_twice_appends_only_the_new_events(tmp_path):
    db = tmp_path / "rasa-tracker.db"
    store = _store(db)
    tracker = DialogueStateTracker("b" * 32, DOMAIN.slots)
    tracker.update(UserUttered("bonjour"))
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("encore"))
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve("b" * 32))
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["bonjour", "encore"]


def test_another_key_cannot_read_the_conversation(tmp_path):
    db = tmp_path / "rasa-tracker.db"
    tracker = DialogueStateTracker("c" * 32, DOMAIN.slots)
    tracker.update(UserUttered(WORDS))
    asyncio.run(_store(db).save(tracker))
    try:
        asyncio.run(_store(db, secret="another-secret").retrieve("c" * 32))
    except Exception as error:  # noqa: BLE001
        assert type(error).__name__ == "InvalidToken"
    else:
        raise AssertionError("a wrong key read the conversation")


# --- the recent sessions kept decrypted: what is read is always what the database holds ------

def _turn(store, sender, words):
    tracker = asyncio.run(store.get_or_create_tracker(sender, append_action_listen=False))
    tracker.update(UserUttered(words))
    asyncio.run(store.save(tracker))


def _said(store, sender):
    tracker = asyncio.run(store.retrieve(sender))
    return None if tracker is None else [
        e.text for e in tracker.events if isinstance(e, UserUttered)]


def test_a_conversation_read_again_is_what_was_saved_in_it(tmp_path):
    store = _store(tmp_path / "rasa-tracker.db")
    for words in ("un", "deux", "trois"):
        _turn(store, "c" * 32, words)
    assert _said(store, "c" * 32) == ["un", "deux", "trois"]
    assert _said(store, "c" * 32) == ["un", "deux", "trois"]  # read twice, the same


def test_what_another_rasa_instance_saved_is_read(tmp_path):
    db = tmp_path / "rasa-tracker.db"
    one, two = _store(db), _store(db)
    _turn(one, "d" * 32, "un")
    assert _said(one, "d" * 32) == ["un"]
    _turn(two, "d" * 32, "deux")  # the conversation moved to the other instance
    assert _said(one, "d" * 32) == ["un", "deux"]
    _turn(one, "d" * 32, "trois")
    assert _said(two, "d" * 32) == ["un", "deux", "trois"]


def test_an_erased_conversation_is_not_read_back_from_memory(tmp_path):
    from sqlalchemy import create_engine, text

    db = tmp_path / "rasa-tracker.db"
    store = _store(db)
    _turn(store, "e" * 32, "un")
    assert _said(store, "e" * 32) == ["un"]
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:  # as bot.dossiers.erasure deletes it
        connection.execute(text("DELETE FROM events WHERE sender_id = :s"), {"s": "e" * 32})
    engine.dispose()
    assert _said(store, "e" * 32) is None
    _turn(store, "e" * 32, "nouveau")
    assert _said(store, "e" * 32) == ["nouveau"]


def test_a_save_after_another_instance_wrote_keeps_no_stale_session(tmp_path):
    db = tmp_path / "rasa-tracker.db"
    one, two = _store(db), _store(db)
    _turn(one, "f" * 32, "un")
    tracker = asyncio.run(one.get_or_create_tracker("f" * 32, append_action_listen=False))
    _turn(two, "f" * 32, "deux")  # written between this instance's read and its save
    tracker.update(UserUttered("trois"))
    tracker.update(UserUttered("quatre"))
    asyncio.run(one.save(tracker))
    assert _said(one, "f" * 32) == _said(_store(db), "f" * 32)  # what the database holds


# --- the saved tracker handed out once: the same tracker as a replay of the rows --------------

def test_the_saved_tracker_read_again_is_the_replay_of_its_rows(tmp_path):
    from bot.store.rasa_tracker import _tracker_mismatch

    db = tmp_path / "rasa-tracker.db"
    store = _store(db)
    for words in ("un", "deux"):
        tracker = asyncio.run(store.get_or_create_tracker("g" * 32, append_action_listen=False))
        tracker.update(UserUttered(words, {"name": "greet", "confidence": 0.9}))
        tracker.update(SlotSet("dossier_id", words))
        tracker.update(BotUttered(f"vous avez dit {words}"))
        asyncio.run(store.save(tracker))
    kept = asyncio.run(store.retrieve("g" * 32))
    assert kept is tracker  # no replay
    assert _tracker_mismatch(kept, asyncio.run(_store(db).retrieve("g" * 32)), DOMAIN) is None


def test_a_tracker_changed_without_being_saved_is_not_read_again(tmp_path):
    store = _store(tmp_path / "rasa-tracker.db")
    _turn(store, "h" * 32, "un")
    tracker = asyncio.run(store.retrieve("h" * 32))
    tracker.update(UserUttered("jamais enregistré"))  # a turn that failed before its save
    assert _said(store, "h" * 32) == ["un"]
    assert _said(store, "h" * 32) == ["un"]


def test_a_tracker_changed_after_its_save_is_not_read_again(tmp_path):
    store = _store(tmp_path / "rasa-tracker.db")
    tracker = asyncio.run(store.get_or_create_tracker("i" * 32, append_action_listen=False))
    tracker.update(UserUttered("un"))
    asyncio.run(store.save(tracker))
    tracker.update(UserUttered("jamais enregistré"))  # the same turn goes on, then fails
    assert _said(store, "i" * 32) == ["un"]


# --- the session's stamp, read from the session's rows only ------------------------------------

def _rows(store, sender: str, kinds_and_times: list[tuple[str, float | None]]) -> None:
    with store.engine.begin() as connection:
        connection.execute(store._insert_event, [
            {"sender_id": sender, "type_name": kind, "timestamp": at, "intent_name": None,
             "action_name": None, "data": store._encrypt({"event": kind})}
            for kind, at in kinds_and_times])


def test_the_session_stamp_counts_the_rows_rasa_reads_as_the_session(database_url):
    """Count and highest id of the rows of Rasa's own query for the current session (its
    ``_event_query``), whatever the sessions, other conversations and rows without time."""
    store = EncryptedSQLTrackerStore(domain=DOMAIN, host=database_url, secret_key=SECRET)
    _rows(store, "no-session", [("user", 1.0), ("bot", None), ("user", 3.0)])
    _rows(store, "sessions", [("session_started", 1.0), ("user", 2.0), ("bot", None),
                              ("session_started", 5.0), ("user", 5.0), ("user", 6.0)])
    _rows(store, "other", [("session_started", 7.0), ("user", 8.0)])
    _rows(store, "sessions", [("bot", 9.0)])  # after another conversation's rows
    for sender in ("no-session", "sessions", "other", "nobody"):
        with store.session_scope() as session:
            rows = store._event_query(session, sender, fetch_events_from_all_sessions=False).all()
            expected = (len(rows), max((row.id for row in rows), default=0))
            assert store._session_stamp(session.connection(), sender) == expected
    with store.session_scope() as session:
        assert store._session_stamp(session.connection(), "sessions")[0] == 4
        assert store._session_stamp(session.connection(), "no-session")[0] == 3
    store.engine.dispose()


def test_the_session_stamp_reads_the_session_not_the_whole_conversation(tmp_path):
    """SQLite's plan for the stamp: a range of the (sender, time) index from the session's
    start, not every row of the sender (which made a turn cost more as a conversation grew)."""
    from sqlalchemy import event

    _store(tmp_path / "rasa-tracker.db").engine.dispose()
    store = _store(tmp_path / "rasa-tracker.db")  # a second start: the indexes exist
    sent: list = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cursor, sql, parameters, _x, _m: sent.append((sql, parameters)))
    with store.engine.connect() as connection:
        store._session_stamp(connection, "x")
        sql, parameters = sent[-1]
        plan = " ".join(str(row) for row in connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sql, parameters).all())
    assert "ix_events_sender_time (sender_id=? AND timestamp>?)" in plan
    assert "(sender_id=?)" not in plan  # no part reads every row of the conversation
    store.engine.dispose()
