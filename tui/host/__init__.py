"""A class on its own laptops: one authoritative game served on the local network.

`wargame host` runs a `HostedGame` (the engine's `Game`, with its autosave and replay-checked
saves) behind a WebSocket server; teams join with a code from a terminal (`wargame join`) or a
browser (the same Textual app served by textual-serve). The protocol is a few pydantic
messages (`protocol.py`); what each client receives is filtered so that a team never sees
another team's choice before the event resolves (`session.py`).
"""
