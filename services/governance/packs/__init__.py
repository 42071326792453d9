"""The strategic committee's pack (dossier du comité stratégique): generated, archived, read."""
