from fsdocs.cli import main

main()
