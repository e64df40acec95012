"""The text layer, below every stage: what any stage may need to read a notice's text, with
its knowledge in ``models/text/`` (and the rule files it names). It imports no stage.

``numerals`` (the one numeral reader), ``punctuation`` (the one table of marks and the one
"inside quotes" test), ``labels`` (numbering labels), ``table_text`` (how a table is written
into the text and read back), ``holidays`` (the holiday calendar), ``patterns`` (named regex
fragments), ``identity`` (the document hash), ``charmap`` (radical and compatibility forms)."""
