"""Author preview: every card and the sheet of every topic on one self-contained page.

Cards are rendered by Anki's own template engine (the official `anki` package,
the `preview` extra) from the real deck, in a throwaway collection, so the page
shows what a student sees (`cards`). The page (`page`, with `page.css` and
`page.js`) goes to DIR/preview/, beside the course site; `serve` rebuilds it on
every change and reloads the browser. Nothing under the build's own outputs is
touched.
"""
