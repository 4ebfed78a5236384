"""Budget pages: the application budget (application.py), the agreement's economy (economy.py) and the
verksamhetsplan (plans.py)."""
