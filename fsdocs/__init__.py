"""fsdocs: the convention départementale France services and its annexes, from YAML."""

__version__ = "0.1.0"
