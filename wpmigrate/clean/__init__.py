"""The boilerplate engine: rule profiles as data, and the cleaners that apply them."""

from wpmigrate.clean.profiles import ProfileSet, load_profiles
from wpmigrate.clean.result import CleanResult, Removal

__all__ = ["CleanResult", "ProfileSet", "Removal", "load_profiles"]
