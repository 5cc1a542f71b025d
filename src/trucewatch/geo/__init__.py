"""Geography: the gazetteer (place names to points) and where places stand against zones."""
