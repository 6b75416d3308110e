"""What draws a character: the bundled fonts and what they cover, the CJK font, emoji artwork and maths."""
