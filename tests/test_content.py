"""The repository's own topic: everything in the seed note reaches the model."""

from __future__ import annotations

from helpers import CONTENT, run_cli

from builder.content.gather import gather


def test_real_content_checks_clean_under_strict() -> None:
    code, out, err = run_cli("check", "--strict", str(CONTENT))
    assert code == 0, err
    assert out.strip() == "1 topic OK (0 warnings)"


def test_seed_note_is_all_there() -> None:
    topic = gather([CONTENT]).topics[0]
    loop, flow = topic.sequences
    names = [s.name for s in loop.steps]
    assert names[0] == "Training mode" and names[-1] == "Progress optimizer (the P in step)"
    assert len(names) == 6 and all(s.code for s in loop.steps)
    assert [s.name for s in flow.steps] == [
        "Get data ready",
        "Build a model",
        "Fit model to data (training)",
        "Make predictions and evaluate model",
        "Save model",
    ]
    assert flow.steps[1].substeps == ("Pick loss function & optimizer", "Training loop")
    flozp, lolo = topic.mnemonics
    assert "".join(c.letter for c in flozp.cues) == "FLOZP"
    assert all(c.hook for c in flozp.cues if c.letter in "ZP")
    assert [c.step for c in lolo.cues] == ["loss", "zero-grad", "backward", "step"]
    [cooking] = topic.analogies
    assert len(cooking.pairs) == 5 and cooking.pairs[1].detail == "Spices (cost, optimizer, forward)"
    [snippet] = topic.snippets
    assert snippet.language == "python" and "optimizer.step()" in snippet.code
