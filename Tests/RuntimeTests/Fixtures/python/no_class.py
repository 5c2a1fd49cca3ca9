# A module with no AgentCheck subclass.
def check():
    return 1
