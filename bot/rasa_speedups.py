"""Costs Rasa 3.6 pays on every message that buy nothing, removed in the Rasa process.

Measured with py-spy under 16 concurrent conversations (docs/performance.md), the Rasa server
spent:
- 12 % of its time checking the action server's answers with ``jsonschema.validate``, which
  re-checks the (constant) schema against the JSON-Schema meta-schema on every call before
  checking the answer. A validator built once for that schema checks the answer the same way
  and raises the same ``ValidationError`` (``best_match`` of its errors, as ``validate``).
  Then still 2-5 %: each event was checked against all 23 branches of the schema's ``oneOf``;
  it is checked against the one its event name selects, the whole check deciding otherwise.
- a commit with a full disk sync of the SQLite tracker store on every message. SQLite in
  write-ahead-log mode with ``synchronous=NORMAL`` stays consistent after a crash of the
  process or the machine (it may lose the last transactions on a power cut, which a resident
  sees as a message to send again); PostgreSQL, in production, is not affected.

- 4 % finding each stored event's class by its type name: Rasa walks every subclass of
  ``Event`` (with ``inspect.isabstract`` on each) for every event it reads. The classes do not
  change once Rasa is loaded: the name-to-class table is built once.

- 5 % opening a new HTTP session and TCP connection for every call to the action server
  (Rasa's ``EndpointConfig.request`` creates a ``ClientSession`` per call and closes it). One
  session per event loop keeps connections alive between calls; the requests, their answers
  and their errors are the same. The tracker sent with each call is written with ujson.

- 7 % in dask, through which Rasa's graph runner runs each NLU parse and each prediction:
  for a handful of nodes called one after the other on one thread, dask orders the graph,
  submits each node to an executor and collects its result. The same nodes are called here
  in the order of their dependencies, with the same inputs; an error is raised as before.

``apply()`` is called by bot/rasa_server.py before Rasa loads; nothing else changes.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import itertools
import uuid
import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")


@functools.lru_cache(maxsize=1)
def _action_result_validator() -> Any:
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, instead of on every message
    return cls(schema)


@functools.lru_cache(maxsize=1)
def _event_validators() -> tuple[Any, dict[str, Any]] | None:
    """The check of one event, split: what every event must be, and for each event name the
    one branch of the schema's ``oneOf`` that names it. None if the schema is not of that
    shape (every branch names its event with a ``const`` of its own)."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    event = schema["properties"]["events"]["items"]
    branches = event.get("oneOf", [])
    names = [b.get("properties", {}).get("event", {}).get("const") for b in branches]
    if (event.get("required") != ["event"] or not branches
            or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names)):
        return None
    common = {key: value for key, value in event.items() if key != "oneOf"}
    cls = validator_for(schema)
    return cls(common), {name: cls(branch) for name, branch in zip(names, branches, strict=True)}


def _action_result_is_valid(result: Any) -> bool:
    """True only if ``validate`` would pass ``result``: each event is checked against what
    every event must be and against the one branch of ``oneOf`` its name selects (the others
    fail on their ``const``, so "exactly one" holds), instead of against all 23 branches.
    False means "not known": the whole validator decides."""
    split = _event_validators()
    if split is None or type(result) is not dict:
        return False
    events = result.get("events", [])
    if type(events) is not list:
        return False
    common, branches = split
    for happened in events:
        name = happened.get("event") if type(happened) is dict else None
        branch = branches.get(name) if type(name) is str else None
        if branch is None or not common.is_valid(happened) or not branch.is_valid(happened):
            return False
    rest = {key: value for key, value in result.items() if key != "events"}
    return _action_result_validator().is_valid(rest)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's RemoteAction._validate_action_result, with the validator built once, and each
    event checked against the branch of the schema its name selects."""
    from jsonschema import ValidationError
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    if _action_result_is_valid(result):
        return True
    try:
        error = best_match(_action_result_validator().iter_errors(result))
        if error is not None:
            raise error  # the error jsonschema.validate raises: the best match, not the first
        return True
    except ValidationError as e:
        e.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise e


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()


@functools.lru_cache(maxsize=1)
def _event_classes() -> dict[str, Any]:
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    classes: dict[str, Any] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)  # the first match, as Rasa's loop returns
    return classes


def _resolve_by_type(type_name: str, default: Any = None) -> Any:
    """Rasa's Event.resolve_by_type, with the table of event classes built once."""
    cls = _event_classes().get(type_name)
    if cls is not None:
        return cls
    return _original_resolve_by_type(type_name, default)  # unknown names: Rasa's own answer


_original_resolve_by_type: Any = None


# --- keep-alive to the action server -----------------------------------------------------------

# Below the 5 s after which the action server (Sanic) closes an idle connection: a connection
# is never reused at the moment the server closes it.
KEEPALIVE_S = 2.0
_sessions: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _dumps(data: Any) -> str:
    """The whole tracker goes to the action server as JSON with every call (3 % of the Rasa
    server's CPU with ``json.dumps``). ujson (a dependency of Sanic) writes the same values in
    a third of the time; what it cannot write (NaN, an object) is written by ``json``."""
    import json

    import ujson

    try:
        spliced = _with_kept_domain(data)
        if spliced is not None:
            return spliced
        return ujson.dumps(data, ensure_ascii=False, escape_forward_slashes=False)
    except (TypeError, OverflowError, ValueError):
        return json.dumps(data)


# Without ``enable_selective_domain`` Rasa sends the whole domain (its ``as_dict()``, the same
# dict object every time, about 41 kB of JSON) with every call: its JSON is written once and put
# in place of a marker in the rest of the call's JSON, which ujson writes value by value: the
# same text. The marker is random, and the splice is used only when it appears exactly once.
_DOMAIN_MARKER = f"relais-domain-{uuid.uuid4().hex}"
_domain_json: dict[int, tuple[Any, str]] = {}


def _with_kept_domain(data: Any) -> str | None:
    import ujson

    domain = data.get("domain") if type(data) is dict else None
    if type(domain) is not dict:
        return None
    kept = _domain_json.get(id(domain))
    if kept is None or kept[0] is not domain:
        kept = (domain, ujson.dumps(domain, ensure_ascii=False, escape_forward_slashes=False))
        _domain_json.clear()
        _domain_json[id(domain)] = kept
    text = ujson.dumps({**data, "domain": _DOMAIN_MARKER}, ensure_ascii=False,
                       escape_forward_slashes=False)
    marker = f'"{_DOMAIN_MARKER}"'
    if text.count(marker) != 1:
        return None
    return text.replace(marker, kept[1])


def _shared_session() -> Any:
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

    loop = asyncio.get_running_loop()
    session = _sessions.get(loop)
    if session is None or session.closed:
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_S),
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            json_serialize=_dumps)
        _sessions[loop] = session
    return session


async def _request(self: Any, method: str = "post", subpath: str | None = None,
                   content_type: str | None = "application/json", compress: bool = False,
                   **kwargs: Any) -> Any:
    """Rasa 3.6's EndpointConfig.request, on a session kept between calls."""
    import os
    import ssl

    import aiohttp
    from aiohttp.client_exceptions import ContentTypeError
    from rasa.shared.exceptions import FileNotFoundException
    from rasa.utils.endpoints import ClientResponseError, concat_url

    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    if "headers" in kwargs:
        headers.update(kwargs.pop("headers"))
    if self.headers:
        headers.update(self.headers)
    auth = (aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            if self.basic_auth else None)
    sslcontext = None
    if self.cafile:
        try:
            sslcontext = ssl.create_default_context(cafile=self.cafile)
        except FileNotFoundError as e:
            raise FileNotFoundException(
                f"Failed to find certificate file, "
                f"'{os.path.abspath(self.cafile)}' does not exist.") from e
    async with _shared_session().request(
            method, concat_url(self.url, subpath), headers=headers, auth=auth,
            params=self.combine_parameters(kwargs), compress=compress, ssl=sslcontext,
            **kwargs) as response:
        if response.status >= 400:
            raise ClientResponseError(response.status, response.reason,
                                      await response.content.read())
        try:
            return await response.json()
        except ContentTypeError:
            return None


async def close_action_session(_app: Any, loop: asyncio.AbstractEventLoop) -> None:
    """Closes the kept connection to the action server when the Rasa server stops (a Sanic
    ``after_server_stop`` listener): aiohttp warns of, and the action server sees, a
    connection left open otherwise."""
    session = _sessions.pop(loop, None)
    if session is not None and not session.closed:
        await session.close()


# --- the graph runner without dask ------------------------------------------------------------

def _plan(runner: Any, targets: tuple[str, ...]) -> list[tuple[str, Any, tuple[str, ...]]]:
    """The nodes the targets need, each after the nodes it needs (computed once per targets)."""
    plans = runner.__dict__.setdefault("_relais_plans", {})
    if targets not in plans:
        nodes = runner._graph_schema.nodes
        order: list[str] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen or name not in nodes:
                return  # done already, or an input placeholder
            seen.add(name)
            for needed in nodes[name].needs.values():
                visit(needed)
            order.append(name)

        for target in targets:
            visit(target)
        plans[targets] = [(name, runner._instantiated_nodes[name],
                           tuple(nodes[name].needs.values())) for name in order]
    return plans[targets]


def _run_graph(self: Any, inputs: dict[str, Any] | None = None,
               targets: list[str] | None = None) -> dict[str, Any]:
    """Rasa 3.6's DaskGraphRunner.run, calling the nodes in order instead of through dask."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = tuple(targets if targets else self._graph_schema.target_names)
    plan = _plan(self, run_targets)
    results: dict[str, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in self._graph_schema.nodes:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure that none of the "
                f"input names passed to the `run` method are the same as node names in the "
                f"graph schema.")
        results[name] = (name, value)
    try:
        for name, node, needs in plan:
            if name not in results:  # an input of the same name replaces the node, as in dask
                # A need that is neither a node nor an input is passed as its name (dask).
                results[name] = node(*(results.get(needed, needed) for needed in needs))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(results[target] for target in run_targets)


# --- the applied events, kept per tracker ------------------------------------------------------

# Rasa's ``DialogueStateTracker.applied_events`` folds the whole session (reverted messages and
# actions undone, a loop's repeated runs collapsed) on every call, with an ``isinstance`` on
# Rasa's abstract ``Event`` for each event: about 15 % of the Rasa server's CPU, called for
# each prediction, the policies' windows, the session check and every event read. The result
# depends only on the tracker's events, which Rasa only ever appends to (or replaces the deque
# of): it is kept with the deque, its length and its last event, and a call after appends
# folds the new events only, from where the kept fold stopped — unless one of them names a
# loop the session had not named before (Rasa folds every earlier event knowing the loop
# names of the whole session), which folds everything again. Each call returns a new list.

def _fold(tracker: Any, events: Any, applied: list[Any], loop_names: set[str]) -> None:
    """Rasa 3.6's loop of ``applied_events`` over ``events``, continuing ``applied``."""
    from rasa.shared.core.events import ActionExecuted, UserUttered

    for happened in events:
        kind = _applied_kind(type(happened))
        if kind == "reset":
            applied.clear()
        elif kind == "action_reverted":
            tracker._undo_till_previous(ActionExecuted, applied)
        elif kind == "utterance_reverted":
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (kind == "action" and happened.action_name in loop_names
              and not tracker._first_loop_execution_or_unhappy_path(happened.action_name, applied)):
            tracker._undo_till_previous_loop_execution(happened.action_name, applied)
        else:
            applied.append(happened)


@functools.cache
def _applied_kind(cls: type) -> str | None:
    """What ``applied_events`` does with an event of this class, in the order of its tests
    (``issubclass`` once per class instead of ``isinstance`` on an abstract class per event)."""
    from rasa.shared.core.events import (
        ActionExecuted,
        ActionReverted,
        ActiveLoop,
        Restarted,
        SessionStarted,
        UserUtteranceReverted,
    )

    if issubclass(cls, (Restarted, SessionStarted)):
        return "reset"
    if issubclass(cls, ActionReverted):
        return "action_reverted"
    if issubclass(cls, UserUtteranceReverted):
        return "utterance_reverted"
    if issubclass(cls, ActionExecuted):
        return "action"
    if issubclass(cls, ActiveLoop):
        return "loop"
    return None


def _loop_names(events: Any) -> set[str]:
    return {happened.name for happened in events
            if _applied_kind(type(happened)) == "loop" and happened.name}


def _applied_events(self: Any) -> list[Any]:
    """Rasa's ``DialogueStateTracker.applied_events``, folding only what was appended since
    the last call on the same events."""
    events = self.events
    count = len(events)
    kept = self.__dict__.get("_relais_applied")
    if kept is not None and kept[0] is events and _unchanged_before(events, kept[1], kept[2]):
        _, done, _, loop_names, applied = kept
        new = list(itertools.islice(events, done, None))
        if not (_loop_names(new) - loop_names):
            if new:
                applied = list(applied)
                _fold(self, new, applied, loop_names)
                self._relais_applied = (events, count, (events[0], events[-1]), loop_names,
                                        applied)
            return list(applied)
    loop_names = _loop_names(events)
    applied = []
    _fold(self, events, applied, loop_names)
    self._relais_applied = (events, count, (events[0], events[-1]) if count else None,
                            loop_names, applied)
    return list(applied)


def _unchanged_before(events: Any, count: int, ends: tuple[Any, Any] | None) -> bool:
    """The first ``count`` events are still those kept (their first and last objects in
    place: Rasa appends; a deque bounded by ``max_event_history`` drops its first ones)."""
    if count == 0:
        return True
    return len(events) >= count and events[0] is ends[0] and events[count - 1] is ends[1]


# --- the intent classifier's input, from the sentence features only ---------------------------

# Rasa's LogisticRegressionClassifier builds its input from ``get_sparse_features``, which
# copies and joins the message's sequence features (a row per word, for every word and
# character n-gram) as well as its sentence features, and keeps only the sentence ones. The same
# sentence features are joined here, by the same Rasa code, without the sequence ones.

def _classifier_input(self: Any, messages: list[Any]) -> Any:
    """Rasa 3.6's ``LogisticRegressionClassifier._create_X``, without the unused sequence
    features."""
    from rasa.shared.nlu.constants import TEXT
    from scipy.sparse import csr_matrix, hstack, vstack

    rows = []
    for message in messages:
        _, sentence = message._filter_sparse_features(TEXT, [])
        sparse_feats = message._combine_features(sentence, [])
        dense_feats = message.get_dense_features(attribute=TEXT)[1]
        rows.append(hstack([
            csr_matrix(sparse_feats.features if sparse_feats else []),
            csr_matrix(dense_feats.features if dense_feats else []),
        ]))
    return vstack(rows)


# --- the intent classifier's input built directly, its probabilities without a copy -----------

# What remained of a parse's plumbing (in-process, 7.2 ms a parse; docs/performance.md):
# - the classifier's input: for each message, Rasa deep-copies the first featuriser's sentence
#   features, joins the second's with ``scipy.sparse.hstack`` (a COO matrix), converts it to CSR,
#   joins an empty dense part with ``hstack`` again and stacks the rows with ``vstack``: about a
#   dozen scipy constructions for a row of a hundred counts. The same CSR row is built here from
#   the sentence features' column indices and counts, in the same order and type; with dense
#   features (none in Relais's pipeline) Rasa's own construction is used.
# - the probabilities: scikit-learn multiplies the input by ``coef_.T``, a transposed view that
#   scipy copies into a C-ordered array (classes × features, about 7 MB) on every call before
#   the product. The same product is taken here with that array copied once per model: the same
#   additions in the same order, the same softmax, so the same probabilities to the last bit.
# - ``Domain.is_empty``, asked on every parse, builds a whole empty domain to compare with:
#   that empty domain is built once.

def _sentence_row(message: Any) -> tuple[Any, Any, int] | None:
    """(columns, counts, width) of a message's sparse sentence features joined in Rasa's
    order, or None when Rasa's own construction must be used."""
    import numpy as np
    from rasa.shared.nlu.constants import TEXT

    _, sentence = message._filter_sparse_features(TEXT, [])
    if message.get_dense_features(attribute=TEXT)[1] is not None:
        return None
    columns, counts, width = [], [], 0
    for features in sentence:
        matrix = features.features
        if matrix.format != "coo" or matrix.shape[0] != 1:
            return None
        columns.append(matrix.col.astype(np.int64) + width)
        counts.append(matrix.data)
        width += matrix.shape[1]
    if not sentence:
        return None
    return np.concatenate(columns), np.concatenate(counts), width


def _direct_classifier_input(self: Any, messages: list[Any]) -> Any:
    """``_classifier_input`` (Rasa's ``_create_X`` on sentence features) for messages of one
    row of sentence features each, the CSR arrays written directly."""
    import numpy as np
    from scipy.sparse import csr_matrix

    rows = [_sentence_row(message) for message in messages]
    if not rows or any(row is None for row in rows) or len({row[2] for row in rows}) != 1:
        return _classifier_input(self, messages)
    indices = np.concatenate([columns for columns, _, _ in rows])
    if any(np.any(np.diff(columns) <= 0) for columns, _, _ in rows):
        return _classifier_input(self, messages)  # Rasa's CSR would sort or sum them
    data = np.concatenate([counts for _, counts, _ in rows]).astype(np.float64)
    indptr = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum([len(columns) for columns, _, _ in rows], out=indptr[1:])
    return csr_matrix((data, indices.astype(np.int32), indptr), shape=(len(rows), rows[0][2]))


_contiguous_coefs: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def _probabilities(clf: Any, X: Any) -> Any:
    """``clf.predict_proba(X)`` for a multinomial logistic regression, the transposed
    coefficients kept C-ordered (scikit-learn 1.1's ``decision_function`` and softmax)."""
    import numpy as np
    from sklearn.utils.extmath import safe_sparse_dot, softmax

    ovr = clf.multi_class in ["ovr", "warn"] or (
        clf.multi_class == "auto" and (clf.classes_.size <= 2 or clf.solver == "liblinear"))
    if ovr or clf.coef_.shape[0] == 1:
        return clf.predict_proba(X)
    kept = _contiguous_coefs.get(clf)
    if kept is None or kept[0] is not clf.coef_:
        kept = (clf.coef_, np.ascontiguousarray(clf.coef_.T))
        _contiguous_coefs[clf] = kept
    X = clf._validate_data(X, accept_sparse="csr", reset=False)
    scores = safe_sparse_dot(X, kept[1], dense_output=True) + clf.intercept_
    return softmax(scores, copy=False)


def _classify(self: Any, messages: list[Any]) -> list[Any]:
    """Rasa 3.6's ``LogisticRegressionClassifier.process``, with ``_probabilities``."""
    from rasa.utils.tensorflow.constants import RANKING_LENGTH

    X = self._create_X(messages)
    probas = _probabilities(self.clf, X)
    for idx, message in enumerate(messages):
        intents = self.clf.classes_
        intent_ranking = [
            {"name": k, "confidence": v} for k, v in zip(intents, probas[idx], strict=True)
        ]
        sorted_ranking = sorted(intent_ranking, key=lambda e: -e["confidence"])
        intent = sorted_ranking[0]
        if self.config[RANKING_LENGTH] > 0:
            sorted_ranking = sorted_ranking[: self.config[RANKING_LENGTH]]
        message.set("intent", intent, add_to_output=True)
        message.set("intent_ranking", sorted_ranking, add_to_output=True)
    return messages


@functools.lru_cache(maxsize=1)
def _empty_domain_data() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.empty().as_dict()


def _domain_is_empty(self: Any) -> bool:
    """Rasa's ``Domain.is_empty``, against an empty domain built once."""
    return self.as_dict() == _empty_domain_data()


# --- the count vectorisers' sentence features written directly, the sequence ones when read ----

# Rasa's CountVectorsFeaturizer computes, for every message, sequence features (the message's
# words, each one a row of the vocabulary's counts: ``CountVectorizer.transform`` on the words)
# and sentence features (the counts of the whole message: ``transform`` on the words joined by
# spaces), each as a sorted CSR matrix turned into COO. Relais's classifier reads the sentence
# features only (``_classifier_input`` above), and nothing else in its pipeline reads features:
# the sequence features were half of the vectorisers' cost (4 % of the Rasa server's CPU) for
# nothing. They are now computed when something reads them (``_LazySequenceFeatures``: the
# same Rasa code, the same matrix), and the sentence row is counted as ``transform`` counts it,
# the vocabulary looked up for each term of the vectoriser's own analyser, without building and
# checking a CSR matrix first. A vectoriser of another analyser or vocabulary kind, or a message
# Rasa would not featurise, goes through Rasa's own code.

class _LazySequenceFeatures:
    """Rasa's ``Features`` for a message's sequence features, the matrix computed on the first
    read of ``features`` (by Rasa's ``_create_features``, as before)."""

    def __init__(self, compute: Any, attribute: str, origin: str) -> None:
        from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE

        self._compute = compute
        self._features = None
        self.type = FEATURE_TYPE_SEQUENCE
        self.origin = origin
        self.attribute = attribute
        self._cached_fingerprint = None

    @property
    def features(self) -> Any:
        if self._features is None:
            self._features = self._compute()
            self._compute = None
        return self._features

    @features.setter
    def features(self, value: Any) -> None:  # Features.combine_with_features sets it
        self._features = value
        self._compute = None

    def is_sparse(self) -> bool:
        return self._features is None or super().is_sparse()  # a count matrix is sparse

    def is_dense(self) -> bool:
        return not self.is_sparse()


@functools.lru_cache(maxsize=1)
def _lazy_features_class() -> type:
    from rasa.shared.nlu.training_data.features import Features

    return type("Features", (_LazySequenceFeatures, Features), {
        "__module__": _LazySequenceFeatures.__module__,
        "__doc__": _LazySequenceFeatures.__doc__})


_analysers: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()


def _sentence_counts(vectorizer: Any, text: str) -> Any:
    """``vectorizer.transform([text])`` sorted and made COO, as Rasa's ``_create_features``
    makes a sentence's features, or None when it must be computed by Rasa."""
    import numpy as np
    import scipy.sparse

    vocabulary = getattr(vectorizer, "vocabulary_", None)
    if (type(vocabulary) is not dict or vectorizer.analyzer not in ("word", "char", "char_wb")
            or len(vocabulary) > np.iinfo(np.int32).max):
        return None
    analyse = _analysers.get(vectorizer)
    if analyse is None:
        analyse = _analysers[vectorizer] = vectorizer.build_analyzer()
    counts: dict[int, int] = {}
    for term in analyse(text):  # sklearn's _count_vocab for one document
        column = vocabulary.get(term)
        if column is not None:
            counts[column] = counts.get(column, 0) + 1
    columns = np.array(sorted(counts), dtype=np.int32)
    values = np.array([counts[c] for c in columns.tolist()], dtype=np.intc)
    if vectorizer.binary:
        values.fill(1)
    return scipy.sparse.coo_matrix(
        (values.astype(vectorizer.dtype), (np.zeros(len(columns), dtype=np.int32), columns)),
        shape=(1, len(vocabulary)))


def _count_features(self: Any, messages: list[Any]) -> list[Any]:
    """Rasa 3.6's ``CountVectorsFeaturizer.process``, the sentence features counted directly
    and the sequence features computed when read."""
    from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
    from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE
    from rasa.shared.nlu.training_data.features import Features

    if self.vectorizers is None:
        return _original_count_features(self, messages)  # logs Rasa's error
    lazy = _lazy_features_class()
    for message in messages:
        for attribute in self._attributes:
            tokens = self._get_processed_message_tokens_by_attribute(message, attribute)
            vectorizer = self.vectorizers.get(attribute)
            if not vectorizer or not tokens:
                continue  # Rasa's features are None: nothing added
            sentence = None
            if attribute in DENSE_FEATURIZABLE_ATTRIBUTES:
                sentence = _sentence_counts(vectorizer, " ".join(tokens))
                if sentence is None:  # Rasa's loop
                    sequences, sentences = self._create_features(attribute, [tokens])
                    self.add_features_to_message(sequences[0], sentences[0], attribute, message)
                    continue

            def sequence(attribute: str = attribute, tokens: list[str] = tokens) -> Any:
                return self._create_features(attribute, [tokens])[0][0]

            message.add_features(lazy(sequence, attribute, self._identifier))
            if sentence is not None:
                message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, attribute,
                                              self._identifier))
    return messages


_original_count_features: Any = None


# --- the tracker copied without replaying the session -----------------------------------------

# Before every action Rasa's processor copies the tracker (``DialogueStateTracker.copy``, a new
# tracker replaying every event of the session: 7 % of the Rasa server's CPU per message) to
# add the prediction's events to the copy only. A tracker's state is what the replay of its
# events from its initial slots gives (Rasa changes it only through ``update``), so the copy is
# made of that state directly: the same events in a new deque, each slot copied with its value,
# the latest action, message and bot utterance, the active loop copied, and, as the replay
# leaves them, no model or assistant id nor sender source. A tracker of a bounded history
# (``max_event_history``: its first events are gone, the replay would differ), of a subclass,
# without a domain's slots, or with an event the replay would stop at (a timestamp not
# ``<= inf``) is copied by Rasa.

def _copy_slot(slot: Any) -> Any:
    """``copy.copy(slot)``: for a class without its own copy, pickling or slots hooks, what
    ``copy`` does (a new object of the class with the same ``__dict__``), without its
    dispatch."""
    cls = type(slot)
    if not _plainly_copied(cls):
        return copy.copy(slot)
    copied = cls.__new__(cls)
    copied.__dict__.update(slot.__dict__)
    return copied


@functools.cache
def _plainly_copied(cls: type) -> bool:
    import copyreg

    return (cls.__reduce_ex__ is object.__reduce_ex__ and cls.__reduce__ is object.__reduce__
            and not copyreg._slotnames(cls)  # no slot values besides __dict__
            and not any(hasattr(cls, hook) for hook in (
                "__copy__", "__getstate__", "__setstate__", "__getnewargs__",
                "__getnewargs_ex__")))


def _copy_tracker(self: Any) -> Any:
    """Rasa's ``DialogueStateTracker.copy`` without the replay."""
    from rasa.shared.constants import DEFAULT_SENDER_ID
    from rasa.shared.core.trackers import DialogueStateTracker

    infinity = float("inf")
    if (type(self) is not DialogueStateTracker or self._max_event_history is not None
            or type(self.slots) is not dict  # Rasa's AnySlotDict: the replay's is a dict
            or not all(happened.timestamp <= infinity for happened in self.events)):
        return self.travel_back_in_time(infinity)
    # init_copy's tracker, without copying and resetting every slot a first time
    copied = DialogueStateTracker(self.sender_id or DEFAULT_SENDER_ID, [],
                                  is_rule_tracker=self.is_rule_tracker)
    copied.events.extend(self.events)
    copied.slots = {name: _copy_slot(slot) for name, slot in self.slots.items()}
    copied._paused = self._paused
    copied.followup_action = self.followup_action
    copied.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    copied.latest_message = self.latest_message
    copied.latest_bot_utterance = self.latest_bot_utterance
    copied.active_loop = copy.copy(self.active_loop)
    return copied


def _init_copy(self: Any) -> Any:
    """Rasa's ``DialogueStateTracker.init_copy`` (a new tracker with the same slots at their
    initial values, from which the featuriser replays a window before each prediction), each
    slot copied as ``_copy_slot`` copies it instead of through ``copy.copy``'s dispatch: 33 ->
    13 us for Relais's 20 slots, three times a message. A tracker without a domain's slots
    (Rasa's AnySlotDict) is copied by Rasa."""
    from rasa.shared.constants import DEFAULT_SENDER_ID
    from rasa.shared.core.trackers import DialogueStateTracker

    if type(self.slots) is not dict:
        return _original_init_copy(self)
    copied = DialogueStateTracker(self.sender_id or DEFAULT_SENDER_ID, [],
                                  self._max_event_history, is_rule_tracker=self.is_rule_tracker)
    copied.slots = {slot.name: _copy_slot(slot) for slot in self.slots.values()}
    copied._reset_slots()  # as the constructor resets the slots it copies
    return copied


_original_init_copy: Any = None


def apply() -> None:
    global _original_resolve_by_type, _original_count_features, _original_init_copy
    from rasa.core.actions.action import RemoteAction
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.nlu.classifiers.logistic_regression_classifier import (
        LogisticRegressionClassifier,
    )
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    RemoteAction._validate_action_result = _validate_action_result
    DaskGraphRunner.run = _run_graph
    EndpointConfig.request = _request
    DialogueStateTracker.applied_events = _applied_events
    DialogueStateTracker.copy = _copy_tracker
    LogisticRegressionClassifier._create_X = _direct_classifier_input
    LogisticRegressionClassifier.process = _classify
    Domain.is_empty = _domain_is_empty
    if DialogueStateTracker.init_copy is not _init_copy:
        _original_init_copy = DialogueStateTracker.init_copy
        DialogueStateTracker.init_copy = _init_copy
    if CountVectorsFeaturizer.process is not _count_features:
        _original_count_features = CountVectorsFeaturizer.process
        CountVectorsFeaturizer.process = _count_features
    if _original_resolve_by_type is None:
        _original_resolve_by_type = Event.resolve_by_type
        Event.resolve_by_type = staticmethod(_resolve_by_type)
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
