"""Words for people: message catalogues and the reader's language."""
