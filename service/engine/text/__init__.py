"""Text scanning without spaCy: quotation marks, paragraphs, markup, HTML read into text with a map back
into the HTML, stand-ins for quoted sentences, transcript labels."""
