# R's survey package on the benchmark workload (benchmarks/survey_engine.py runs it; see README).
#   Rscript benchmarks/r/survey_engine.R DATA_DIR [ROWS]
# Reads DATA_DIR/data.csv and DATA_DIR/targets.json (the first ROWS rows when given), times each
# step with proc.time() (elapsed) and prints one JSON object on the last line of stdout.
# Needs Debian's r-cran-survey, r-cran-data.table and r-cran-jsonlite.
suppressPackageStartupMessages({
  library(survey)
  library(data.table)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = TRUE)
dir <- args[[1]]
rows <- if (length(args) >= 2) as.integer(args[[2]]) else -1L
df <- as.data.frame(fread(file.path(dir, "data.csv"), nrows = if (rows > 0) rows else Inf))
targets <- fromJSON(file.path(dir, "targets.json"), simplifyVector = FALSE)
margins <- c("sex", "age", "edu", "income", "urban")
questions <- sprintf("q%02d", 1:20)
for (v in c("region", margins, "group6")) df[[v]] <- factor(df[[v]])
scale <- nrow(df) / targets$rows   # targets are for the full file: rescale when reading fewer rows
pop <- lapply(margins, function(m) {
  t <- targets$margins[[m]]
  out <- data.frame(names(t), unlist(t) * scale)
  names(out) <- c(m, "Freq")
  out
})
timings <- list()
timed <- function(name, expr) {
  start <- proc.time()[["elapsed"]]
  value <- force(expr)
  timings[[name]] <<- proc.time()[["elapsed"]] - start
  value
}

des <- timed("design", svydesign(ids = ~1, strata = ~region, weights = ~w0, data = df))
drake <- timed("rake", rake(des, lapply(margins, function(m) as.formula(paste0("~", m))), pop,
                            control = list(maxit = 100, epsilon = 1e-10)))
w <- weights(drake)
gap <- max(unlist(lapply(seq_along(margins), function(i) {
  got <- tapply(w, df[[margins[i]]], sum)
  want <- setNames(pop[[i]]$Freq, pop[[i]][[1]])
  abs(got[names(want)] - want) / want
})))
f <- as.formula(paste0("~", paste(questions, collapse = "+")))
m <- timed("means", svymean(f, drake))
b <- timed("by", svyby(f, ~group6, drake, svymean))
cat(toJSON(list(
  engine = "R survey 4.1.1", rows = nrow(df), timings = timings, max_gap = gap,
  means = unname(coef(m)), means_se = unname(SE(m)),
  by_levels = as.character(b$group6),
  by_est = unname(as.vector(t(as.matrix(b[, questions])))),
  by_se = unname(as.vector(t(as.matrix(b[, paste0("se.", questions)]))))
), auto_unbox = TRUE, digits = NA), "\n")
