"""Pure domain rules: scales, join codes, errors, spreadsheet layout. No Flask, no database."""
