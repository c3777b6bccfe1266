"""What a study is: study.yaml as typed objects (`model`), its published JSON Schema (`schema`),
the problems found in a study (`problems`) and the check of its data files (`validate`); for
studies of several populations, their description (`populations`), each population's universe
(`universes`) and the figures the seed publishes by population (`published`)."""
