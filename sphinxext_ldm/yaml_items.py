"""YAML composed into nodes as ``yaml.compose`` composes it with libyaml, except that the
items of the file's top-level list are handed over one at a time and not kept.

A data file of a million milestones composed whole is a tree of some ten million nodes,
each with two marks, several gigabytes, held until the last one is read; read item by
item, only the item being read is. The nodes, their tags, styles and marks, and the
errors (with libyaml's messages) are those of ``yaml.compose(text, Loader=CSafeLoader)``:
the events come from libyaml's parser, and the composing is PyYAML's, without recursion
(libyaml's parser stops nesting at its own limit).

Only with libyaml: without it the loader composes whole with PyYAML, as before.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    _CParser: Any = importlib.import_module("yaml._yaml").CParser
except ImportError:  # PyYAML without libyaml
    _CParser = None

_YAML = "tag:yaml.org,2002:"
_MAP, _SEQ, _MERGE, _STR = (_YAML + t for t in ("map", "seq", "merge", "str"))

#: Deeper nesting is refused. Milestone data nests four levels deep (the file, its list,
#: a milestone, its predecessors), overrides three. libyaml refuses more than 1,000 levels
#: itself; the pure-Python parser recurses per level and would run out of stack first.
MAX_DEPTH = 100


class NestedTooDeeply(Exception):
    """YAML nested deeper than :data:`MAX_DEPTH`, first at ``line``."""

    def __init__(self, line: int) -> None:
        super().__init__(f"nested more than {MAX_DEPTH} levels deep on line {line}")
        self.line = line


#: Whether libyaml is there to read events from.
AVAILABLE = _CParser is not None
_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def usable() -> bool:
    """Whether files can be read item by item: libyaml is there, and nothing has given
    its loader path resolvers (which depend on every node's parents)."""
    return AVAILABLE and not _LOADER.yaml_path_resolvers


class _Events:
    """libyaml's events, with the tags of untagged nodes resolved as CSafeLoader does."""

    def __init__(self, text: str) -> None:
        parser: Any = _CParser(text)
        self.get_event = parser.get_event
        self.peek_event = parser.peek_event
        self.check_event = parser.check_event
        self.dispose = parser.dispose
        # CSafeLoader's implicit resolvers by first character, the catch-all ones after
        # (BaseResolver.resolve, without its path resolvers: see usable()).
        table: dict[str | None, list[tuple[str, Any]]] = _LOADER.yaml_implicit_resolvers
        wildcard = table.get(None, [])
        self.implicit = {first: [*found, *wildcard] for first, found in table.items()}
        self.wildcard = wildcard

    def scalar_tag(self, value: str, implicit: tuple[bool, bool]) -> str:
        if implicit[0]:
            for tag, regexp in self.implicit.get(value[0] if value else "", self.wildcard):
                if regexp.match(value):
                    resolved: str = tag
                    return resolved
        return _STR


def compose_items(
    text: str,
    key: str,
    on_item: Callable[[Node], None],
    on_key: Callable[[Node], None] | None = None,
) -> tuple[Node | None, SequenceNode | None]:
    """The document's root node, and the list that was read item by item.

    When the root is a mapping whose first plain ``key`` holds a list (the shape
    ``_YamlFile.top_list`` accepts), ``on_key`` is given that key's node, then each item
    of the list is passed to ``on_item`` as soon as it is composed, and the list node is
    returned with no items. Otherwise every node is kept, as ``yaml.compose`` keeps them,
    and the list is None.
    """
    events = _Events(text)
    anchors: dict[str, Node] = {}
    try:
        events.get_event()  # the stream's start
        root: Node | None = None
        streamed: SequenceNode | None = None
        if not events.check_event(StreamEndEvent):
            events.get_event()  # the document's start
            if events.check_event(MappingStartEvent):
                root, streamed = _root_mapping(events, anchors, key, on_item, on_key)
            else:
                root = _compose(events, anchors, 0)
            events.get_event()  # the document's end
        if not events.check_event(StreamEndEvent):
            event = events.get_event()
            raise ComposerError(
                "expected a single document in the stream",
                root.start_mark if root is not None else None,
                "but found another document",
                event.start_mark,
            )
        return root, streamed
    finally:
        events.dispose()


def _root_mapping(
    events: _Events,
    anchors: dict[str, Node],
    key: str,
    on_item: Callable[[Node], None],
    on_key: Callable[[Node], None] | None,
) -> tuple[MappingNode, SequenceNode | None]:
    start = events.get_event()
    node = _start_node(events, anchors, start)
    assert isinstance(node, MappingNode)
    streamed: SequenceNode | None = None
    seen = False
    while not events.check_event(MappingEndEvent):
        key_node = _compose(events, anchors, 1)
        value: Node
        if not seen and _is_key(key_node, key):
            seen = True  # a later one is a duplicate: the loader keeps the first
            if node.tag == _MAP and _plain_list_follows(events):
                if on_key is not None:
                    on_key(key_node)
                value = streamed = _stream_list(events, anchors, on_item)
            else:
                value = _compose(events, anchors, 1)
        else:
            value = _compose(events, anchors, 1)
        node.value.append((key_node, value))
    node.end_mark = events.get_event().end_mark
    return node, streamed


def _is_key(node: Node, key: str) -> bool:
    return isinstance(node, ScalarNode) and node.tag != _MERGE and node.value == key


def _plain_list_follows(events: _Events) -> bool:
    """Whether the next node is a list tagged as one and not anchored (an alias to it
    elsewhere would need its items)."""
    if not events.check_event(SequenceStartEvent):
        return False
    start = events.peek_event()
    return start.anchor is None and _tag(events, SequenceNode, start) == _SEQ


def _stream_list(
    events: _Events, anchors: dict[str, Node], on_item: Callable[[Node], None]
) -> SequenceNode:
    node = _start_node(events, anchors, events.get_event())
    assert isinstance(node, SequenceNode)
    while not events.check_event(SequenceEndEvent):
        on_item(_compose(events, anchors, 2))
    node.end_mark = events.get_event().end_mark
    return node


def _compose(events: _Events, anchors: dict[str, Node], depth: int) -> Node:
    """The next node with everything under it (PyYAML's ``Composer.compose_node``,
    with an explicit stack instead of recursion), ``depth`` collections deep;
    :class:`NestedTooDeeply` past :data:`MAX_DEPTH`, as the loader's composer."""
    # Open collections, innermost last; for a mapping, the key waiting for its value.
    open_: list[tuple[Node, list[Node]]] = []
    get_event = events.get_event
    while True:
        event = get_event()
        kind = type(event)
        closing = kind is SequenceEndEvent or kind is MappingEndEvent
        if depth + len(open_) >= MAX_DEPTH and not closing:
            raise NestedTooDeeply(event.start_mark.line + 1)
        node: Node
        if kind is ScalarEvent and event.anchor is None:  # most nodes: inline
            tag = event.tag
            if tag is None or tag == "!":
                tag = events.scalar_tag(event.value, event.implicit)
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        elif kind is AliasEvent:
            if event.anchor not in anchors:
                mark: Any = event.start_mark
                raise ComposerError(None, None, "found undefined alias", mark)
            node = anchors[event.anchor]
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            node = open_.pop()[0]
            node.end_mark = event.end_mark
        else:
            node = _start_node(events, anchors, event)
            if kind is not ScalarEvent:
                open_.append((node, []))
                continue
        if not open_:
            return node
        parent, key = open_[-1]
        if type(parent) is SequenceNode:
            parent.value.append(node)
        elif key:
            parent.value.append((key.pop(), node))
        else:
            key.append(node)


def _start_node(events: _Events, anchors: dict[str, Node], event: Any) -> Node:
    """A scalar, or a collection without its items yet, registered under its anchor."""
    anchor = event.anchor
    start: Any = event.start_mark  # libyaml's marks, as yaml.compose gives them
    end: Any = event.end_mark
    if anchor is not None and anchor in anchors:
        raise ComposerError(
            "found duplicate anchor; first occurrence",
            anchors[anchor].start_mark,
            "second occurrence",
            start,
        )
    node: Node
    if isinstance(event, ScalarEvent):
        node = ScalarNode(_tag(events, ScalarNode, event), event.value, start, end, event.style)
    elif isinstance(event, SequenceStartEvent):
        node = SequenceNode(
            _tag(events, SequenceNode, event), [], start, None, flow_style=event.flow_style
        )
    else:
        node = MappingNode(
            _tag(events, MappingNode, event), [], start, None, flow_style=event.flow_style
        )
    if anchor is not None:
        anchors[anchor] = node
    return node


def _tag(events: _Events, kind: type, event: Any) -> str:
    """The node's tag: its own, or as BaseResolver.resolve finds it."""
    tag: str | None = event.tag
    if tag is not None and tag != "!":
        return tag
    if kind is ScalarNode:
        return events.scalar_tag(event.value, event.implicit)
    return _SEQ if kind is SequenceNode else _MAP
