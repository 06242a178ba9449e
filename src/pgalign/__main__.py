from pgalign.cli.app import main

main()
