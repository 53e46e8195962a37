"""Pre-publication accessibility audit for news posts."""
