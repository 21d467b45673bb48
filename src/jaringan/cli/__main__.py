from jaringan.cli import main

raise SystemExit(main())
