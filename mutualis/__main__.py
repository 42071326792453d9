from mutualis.cli import main

raise SystemExit(main())
