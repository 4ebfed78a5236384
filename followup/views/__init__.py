"""Follow-up pages: a project's follow-up (projects.py), reports (reports.py), dissemination events
(events.py) and effect goals (goals.py). Thin: permission → form → one service → redirect."""
