"""The text layer, below every stage: what any stage may need to read a notice's text
(numerals, ...), with its knowledge in ``models/text/``. It imports no stage."""
