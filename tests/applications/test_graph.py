from django.core.management import call_command

from applications.enums import ProposalState


def test_graph_transitions_draws_every_state_of_the_lifecycle(capsys):
    call_command("graph_transitions", "applications.Proposal")
    dot = capsys.readouterr().out
    assert dot.startswith("digraph")
    for state in ProposalState:
        assert state.value in dot
