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
from yaml.resolver import Resolver

try:
    _CParser: Any = importlib.import_module("yaml._yaml").CParser
except ImportError:  # PyYAML without libyaml
    _CParser = None

_YAML = "tag:yaml.org,2002:"
_MAP, _SEQ, _MERGE = _YAML + "map", _YAML + "seq", _YAML + "merge"

#: Whether libyaml is there to read events from.
AVAILABLE = _CParser is not None


class _Events:
    """libyaml's events, with PyYAML's resolver for the tags of untagged nodes."""

    def __init__(self, text: str) -> None:
        parser: Any = _CParser(text)
        self.get_event = parser.get_event
        self.peek_event = parser.peek_event
        self.check_event = parser.check_event
        self.dispose = parser.dispose
        self.resolve: Any = Resolver().resolve


def compose_items(
    text: str, key: str, on_item: Callable[[Node], None]
) -> tuple[Node | None, SequenceNode | None]:
    """The document's root node, and the list that was read item by item.

    When the root is a mapping whose first plain ``key`` holds a list (the shape
    ``_YamlFile.top_list`` accepts), each item of that list is passed to ``on_item`` as
    soon as it is composed, and the list node is returned with no items. Otherwise every
    node is kept, as ``yaml.compose`` keeps them, and the list is None.
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
                root, streamed = _root_mapping(events, anchors, key, on_item)
            else:
                root = _compose(events, anchors)
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
    events: _Events, anchors: dict[str, Node], key: str, on_item: Callable[[Node], None]
) -> tuple[MappingNode, SequenceNode | None]:
    start = events.get_event()
    node = _start_node(events, anchors, start)
    assert isinstance(node, MappingNode)
    streamed: SequenceNode | None = None
    seen = False
    while not events.check_event(MappingEndEvent):
        key_node = _compose(events, anchors)
        value: Node
        if not seen and _is_key(key_node, key):
            seen = True  # a later one is a duplicate: the loader keeps the first
            if node.tag == _MAP and _plain_list_follows(events):
                value = streamed = _stream_list(events, anchors, on_item)
            else:
                value = _compose(events, anchors)
        else:
            value = _compose(events, anchors)
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
        on_item(_compose(events, anchors))
    node.end_mark = events.get_event().end_mark
    return node


def _compose(events: _Events, anchors: dict[str, Node]) -> Node:
    """The next node with everything under it (PyYAML's ``Composer.compose_node``,
    with an explicit stack instead of recursion)."""
    # Open collections, innermost last; for a mapping, the key waiting for its value.
    open_: list[tuple[Node, list[Node]]] = []
    while True:
        event = events.get_event()
        node: Node
        if isinstance(event, AliasEvent):
            if event.anchor not in anchors:
                mark: Any = event.start_mark
                raise ComposerError(None, None, "found undefined alias", mark)
            node = anchors[event.anchor]
        elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            node = open_.pop()[0]
            node.end_mark = event.end_mark
        else:
            node = _start_node(events, anchors, event)
            if not isinstance(node, ScalarNode):
                open_.append((node, []))
                continue
        if not open_:
            return node
        parent, key = open_[-1]
        if isinstance(parent, SequenceNode):
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
        node = ScalarNode(
            _tag(events, ScalarNode, event),
            event.value,
            start,
            end,
            style=event.style,
        )
    elif isinstance(event, SequenceStartEvent):
        node = SequenceNode(
            _tag(events, SequenceNode, event),
            [],
            start,
            None,
            flow_style=event.flow_style,
        )
    else:
        node = MappingNode(
            _tag(events, MappingNode, event),
            [],
            start,
            None,
            flow_style=event.flow_style,
        )
    if anchor is not None:
        anchors[anchor] = node
    return node


def _tag(events: _Events, kind: type, event: Any) -> str:
    tag: str | None = event.tag
    if tag is None or tag == "!":
        value = event.value if isinstance(event, ScalarEvent) else None
        resolved: str = events.resolve(kind, value, event.implicit)
        return resolved
    return tag
