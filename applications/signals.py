"""What applications announces (samverkan/registry.py: events are Django signals).

`proposal_transitioned` is sent inside the transition's transaction, after the history row is written, with
`name` (the transition), `proposal`, `by` and `comment`. Apps above react from their integration.register()
(e.g. follow-up generates the report schedule on "start"); a receiver that raises rolls the transition back.
"""

from django.dispatch import Signal

proposal_transitioned = Signal()
