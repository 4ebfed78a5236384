"""Budget forms: the application budget grid (application.py) and the agreement's economy and
verksamhetsplan (economy.py). They parse input; the services check the rules."""
