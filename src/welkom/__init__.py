"""Welkom: the information system behind Limburg's policy on international workers."""
