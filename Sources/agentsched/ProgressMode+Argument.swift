import AgentScheduler
import ArgumentParser

extension ProgressMode: ExpressibleByArgument {}
