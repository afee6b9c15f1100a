"""One module per experiment's check: add_arguments(parser) and check(args, command)."""
