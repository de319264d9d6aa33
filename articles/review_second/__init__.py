"""Second review (AidData-style double coding): a verified figure is coded again, blind, by another curator;
a disagreement goes to a third look; the supervisor page measures agreement per field and per curator."""
