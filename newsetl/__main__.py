"""``python -m newsetl`` runs the command line."""
from newsetl.cli import main

main()
