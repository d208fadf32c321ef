from shian.cli import main

main()
