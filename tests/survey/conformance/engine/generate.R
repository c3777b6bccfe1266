# Reference cases for features the shared conformance cases do not cover (lonely-PSU policies,
# several variables, by-tables of totals and ratios, design effects by domain, missing values,
# tests on a stratified design, domains of a calibrated design). Regenerate with
#   cd tests/survey/conformance/engine && Rscript generate.R
# (R 4.2.2 and survey 4.1.1 from Debian: r-cran-survey, r-cran-jsonlite).
suppressMessages({library(survey); library(jsonlite)})
dir.create("cases", showWarnings = FALSE)
read <- function(name) read.csv(file.path("../rsurvey/data", paste0(name, ".csv")), na.strings = "", stringsAsFactors = TRUE)
apistrat <- read("apistrat"); apiclus1 <- read("apiclus1"); apiclus2 <- read("apiclus2")

design_spec <- function(ids = list(), strata = NULL, weights = NULL, fpc = list(), nest = FALSE, lonely = "fail")
  list(ids = ids, strata = strata, weights = weights, probs = NULL, fpc = fpc, nest = nest,
       replicates = NULL, lonely_psu = lonely)

emit <- function(id, description, r_call, data, design, estimate, expected, subset = NULL, calibration = NULL) {
  case <- list(id = id, description = description, r_call = r_call,
               data = if (file.exists(file.path("data", paste0(data, ".csv")))) paste0("../data/", data, ".csv") else paste0("../../rsurvey/data/", data, ".csv"),
               design = design,
               subset = subset, calibration = calibration, estimate = estimate,
               expected = expected, tolerance = list(relative = 1e-9, absolute = 1e-9))
  writeLines(toJSON(case, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE),
             file.path("cases", paste0(id, ".json")))
}
stat_expected <- function(x, labels = names(coef(x)), deff = FALSE) {
  ci <- confint(x)
  e <- list(labels = labels, estimate = unname(coef(x)), se = as.vector(as.matrix(SE(x))),
            ci_low = unname(ci[, 1]), ci_high = unname(ci[, 2]))
  if (deff) e$deff <- unname(diag(as.matrix(attr(x, "deff"))))
  e$labels <- I(e$labels); e$estimate <- I(e$estimate); e$se <- I(e$se)
  e$ci_low <- I(e$ci_low); e$ci_high <- I(e$ci_high)
  if (deff) e$deff <- I(e$deff)
  e
}
est <- function(statistic, variables, by = list(), na_rm = FALSE, options = setNames(list(), character(0)), denominator = NULL)
  list(statistic = statistic, variables = I(variables), denominator = denominator, by = I(by),
       na_rm = na_rm, level = 0.95, options = options)

# Lonely PSUs: counties as strata of apistrat, ten counties hold a single school.
for (policy in c("certainty", "remove", "adjust", "average")) {
  options(survey.lonely.psu = policy)
  d <- svydesign(id = ~1, strata = ~cname, weights = ~pw, data = apistrat)
  r <- svymean(~api00, d)
  emit(paste0("lonely_", policy, ".mean_api00"),
       paste0("Mean of api00 with counties as strata (ten counties with one school), lonely.psu='", policy, "'."),
       paste0("options(survey.lonely.psu='", policy, "'); svymean(~api00, svydesign(id=~1, strata=~cname, weights=~pw, data=apistrat))"),
       "apistrat", design_spec(strata = "cname", weights = "pw", lonely = policy),
       est("mean", "api00"), stat_expected(r))
}
options(survey.lonely.psu = "fail")

dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dclus2 <- svydesign(id = ~dnum + snum, fpc = ~fpc1 + fpc2, data = apiclus2)
clus1 <- design_spec(ids = list("dnum"), weights = "pw", fpc = list("fpc"))
strat <- design_spec(strata = "stype", weights = "pw", fpc = list("fpc"))
clus2 <- design_spec(ids = list("dnum", "snum"), fpc = list("fpc1", "fpc2"))

r <- svymean(~api00 + stype + enroll, dclus1)
emit("several_clus1.mean", "Means of a numeric, a factor and a numeric variable at once.",
     "svymean(~api00+stype+enroll, dclus1)", "apiclus1", clus1,
     est("mean", c("api00", "stype", "enroll")), stat_expected(r))

r <- svymean(~acs.k3, dclus1, na.rm = TRUE)
emit("narm_clus1.mean_acsk3", "Mean of acs.k3 (39 missing values) with na.rm=TRUE: rows out, PSUs kept.",
     "svymean(~acs.k3, dclus1, na.rm=TRUE)", "apiclus1", clus1,
     est("mean", "acs.k3", na_rm = TRUE), stat_expected(r))

r <- svyby(~enroll, ~stype, dstrat, svytotal)
emit("svyby_total_enroll_stype_strat.by", "Totals of enroll by stype on the stratified design.",
     "svyby(~enroll, ~stype, dstrat, svytotal)", "apistrat", strat,
     est("total", "enroll", by = "stype"), stat_expected(r, paste0(levels(apistrat$stype), ":enroll")))

r <- svyby(~api00, ~sch.wide, dclus2, svymean, deff = TRUE)
emit("svyby_deff_clus2.by", "Means of api00 by sch.wide with design effects, two-stage design.",
     "svyby(~api00, ~sch.wide, dclus2, svymean, deff=TRUE)", "apiclus2", clus2,
     est("mean", "api00", by = "sch.wide", options = list(deff = TRUE)),
     c(stat_expected(r, c("No:api00", "Yes:api00")), list(deff = I(unname(deff(r))))))

r <- svyby(~api.stu, ~stype, denominator = ~enroll, dclus1, svyratio)
emit("svyby_ratio_clus1.by", "Ratios api.stu/enroll by stype.",
     "svyby(~api.stu, ~stype, denominator=~enroll, dclus1, svyratio)", "apiclus1", clus1,
     est("ratio", "api.stu", by = "stype", denominator = "enroll"),
     stat_expected(r, paste0(levels(apiclus1$stype), ":api.stu/enroll")))

r <- svytotal(~stype, dclus2, deff = "replace")
emit("deff_replace_clus2.total_stype", "Totals of the levels of stype with deff='replace', two-stage design.",
     "svytotal(~stype, dclus2, deff='replace')", "apiclus2", clus2,
     est("total", "stype", options = list(deff = "replace")), stat_expected(r, deff = TRUE))

t <- svyttest(api00 ~ awards, dstrat)
emit("ttest_awards_strat.ttest", "Design-based t test of api00 between awards levels, stratified design.",
     "svyttest(api00~awards, dstrat)", "apistrat", strat, est("ttest", "api00", by = "awards"),
     list(labels = I("difference in mean"), estimate = I(unname(t$estimate)),
          se = I(unname(t$estimate / t$statistic)), ci_low = I(unname(t$conf.int[1])),
          ci_high = I(unname(t$conf.int[2])), statistic = unname(t$statistic),
          df = unname(t$parameter), p_value = t$p.value))

for (s in c("F", "Chisq", "Wald", "adjWald")) {
  x <- svychisq(~stype + awards, dclus2, statistic = s)
  emit(paste0("chisq_stype_awards_clus2.", s), paste0("svychisq statistic ", s, " on the two-stage design."),
       paste0("svychisq(~stype+awards, dclus2, statistic='", s, "')"), "apiclus2", clus2,
       est("chisq", c("stype", "awards"), options = list(statistic = s)),
       list(statistic = as.vector(x$statistic), df = I(unname(x$parameter)), p_value = as.vector(x$p.value)))
}

ps <- postStratify(dclus1, ~stype, data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)))
r <- svymean(~api00, subset(ps, sch.wide == "Yes"))
emit("poststrat_domain_clus1.mean_api00", "Mean of api00 in the domain sch.wide == Yes of a post-stratified design.",
     "svymean(~api00, subset(postStratify(dclus1, ~stype, pop), sch.wide == 'Yes'))", "apiclus1", clus1,
     est("mean", "api00"), stat_expected(r), subset = list(column = "sch.wide", equals = "Yes"),
     calibration = list(method = "poststratify",
                        margins = list(list(column = "stype", totals = list(E = 4421, H = 755, M = 1018)))))

q <- svyquantile(~enroll, dstrat, c(0.1, 0.9), qrule = "hf7", interval.type = "xlogit")
ci <- confint(q)
emit("quantile_strat_xlogit.enroll", "Quantiles of enroll, rule hf7, Woodruff interval on the logit scale.",
     "svyquantile(~enroll, dstrat, c(0.1, 0.9), qrule='hf7', interval.type='xlogit')", "apistrat", strat,
     c(est("quantile", "enroll", options = list(qrule = "hf7", interval_type = "xlogit")), list(quantiles = I(c(0.1, 0.9)))),
     list(labels = I(c("enroll.0.1", "enroll.0.9")), estimate = I(unname(coef(q))), se = I(unname(SE(q))),
          ci_low = I(unname(ci[, 1])), ci_high = I(unname(ci[, 2]))))

# svyby subsets the design domain by domain: with lonely.psu='average' each domain rescales by
# its own count of strata.
options(survey.lonely.psu = "average")
d <- svydesign(id = ~1, strata = ~cname, weights = ~pw, data = apistrat)
r <- svyby(~api00, ~sch.wide, d, svymean)
emit("lonely_average_by.by", "Means of api00 by sch.wide, counties as strata, lonely.psu='average'.",
     "options(survey.lonely.psu='average'); svyby(~api00, ~sch.wide, svydesign(id=~1, strata=~cname, weights=~pw, data=apistrat), svymean)",
     "apistrat", design_spec(strata = "cname", weights = "pw", lonely = "average"),
     est("mean", "api00", by = "sch.wide"), stat_expected(r, c("No:api00", "Yes:api00")))
options(survey.lonely.psu = "fail")

# Quantiles on a replicate design: Woodruff interval from the replicate SE of the proportion.
q <- svyquantile(~api00, as.svrepdesign(dclus1, type = "JK1"), c(0.25, 0.5))
ci <- confint(q)
jk1 <- clus1; jk1$replicates <- list(type = "JK1")
emit("quantile_jk1_clus1.api00", "Quantiles of api00 on the JK1 replicate design of apiclus1.",
     "svyquantile(~api00, as.svrepdesign(dclus1, type='JK1'), c(0.25, 0.5))", "apiclus1", jk1,
     c(est("quantile", "api00", options = list(qrule = "math", interval_type = "mean")), list(quantiles = I(c(0.25, 0.5)))),
     list(labels = I(c("api00.0.25", "api00.0.5")), estimate = I(unname(coef(q))), se = I(unname(SE(q))),
          ci_low = I(unname(ci[, 1])), ci_high = I(unname(ci[, 2]))))

# Proportion intervals with missing values left out (target has 8 missing values in apiclus1).
for (m in c("logit", "mean", "beta", "likelihood")) {
  r <- svyciprop(~I(target == 1), dclus1, method = m, na.rm = TRUE)
  emit(paste0("ciprop_narm_clus1.", m), paste0("svyciprop method ", m, " with na.rm=TRUE (df stay the design's)."),
       paste0("svyciprop(~I(target == 1), dclus1, method='", m, "', na.rm=TRUE)"), "apiclus1", clus1,
       est("ciprop", "target", na_rm = TRUE, options = list(method = m, equals = 1)),
       list(labels = I("target1"), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
            ci_low = I(as.vector(confint(r))[1]), ci_high = I(as.vector(confint(r))[2])))
}

# JKn replicates from a design with strata of one PSU (counties of apistrat), per policy.
for (policy in c("remove", "adjust", "average")) {
  options(survey.lonely.psu = policy)
  d <- svydesign(id = ~1, strata = ~cname, weights = ~pw, data = apistrat)
  r <- svymean(~api00, as.svrepdesign(d, type = "JKn"))
  spec <- design_spec(strata = "cname", weights = "pw", lonely = policy)
  spec$replicates <- list(type = "JKn")
  emit(paste0("lonely_jkn_", policy, ".mean_api00"),
       paste0("Mean of api00, JKn replicates with counties as strata, lonely.psu='", policy, "'."),
       paste0("options(survey.lonely.psu='", policy, "'); svymean(~api00, as.svrepdesign(svydesign(id=~1, strata=~cname, weights=~pw, data=apistrat), type='JKn'))"),
       "apistrat", spec, est("mean", "api00"), stat_expected(r))
}
options(survey.lonely.psu = "fail")

# Two-stage stratified cluster design (districts nested in school types), fpc at both stages;
# some districts have a single sampled school: lonely.psu='certainty' at stage 2.
options(survey.lonely.psu = "certainty")
d2s <- svydesign(id = ~dnum + snum, strata = ~stype, fpc = ~fpc1 + fpc2, nest = TRUE, data = apiclus2)
spec2s <- design_spec(ids = list("dnum", "snum"), strata = "stype", fpc = list("fpc1", "fpc2"), nest = TRUE, lonely = "certainty")
r <- svymean(~api00 + enroll, d2s, na.rm = TRUE)
emit("strat_clus2_nest.mean", "Means of api00 and enroll (na.rm), two-stage design stratified by school type, nest=TRUE, lonely.psu=certainty.",
     "options(survey.lonely.psu='certainty'); svymean(~api00+enroll, svydesign(id=~dnum+snum, strata=~stype, fpc=~fpc1+fpc2, nest=TRUE, data=apiclus2), na.rm=TRUE)",
     "apiclus2", spec2s, est("mean", c("api00", "enroll"), na_rm = TRUE), stat_expected(r))
options(survey.lonely.psu = "fail")

r <- svyratio(~acs.k3, ~enroll, dclus1, na.rm = TRUE)
ci <- confint(r)
emit("ratio_narm_clus1.ratio", "Ratio acs.k3/enroll with na.rm=TRUE (39 missing acs.k3).",
     "svyratio(~acs.k3, ~enroll, dclus1, na.rm=TRUE)", "apiclus1", clus1,
     est("ratio", "acs.k3", denominator = "enroll", na_rm = TRUE),
     list(labels = I("acs.k3/enroll"), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
          ci_low = I(as.vector(ci[, 1])), ci_high = I(as.vector(ci[, 2]))))

r <- svyby(~stype, ~sch.wide, dclus1, svytotal)
emit("svyby_total_factor_clus1.by", "Totals of the levels of stype by sch.wide.",
     "svyby(~stype, ~sch.wide, dclus1, svytotal)", "apiclus1", clus1,
     est("total", "stype", by = "sch.wide"), stat_expected(r, c("No:stypeE", "Yes:stypeE", "No:stypeH", "Yes:stypeH", "No:stypeM", "Yes:stypeM")))

jk <- as.svrepdesign(dclus1, type = "JK1")
r <- svymean(~api00, subset(jk, stype == "E"))
emit("rep_jk1_domain.mean_api00", "Mean of api00 in the domain stype == E of the JK1 design.",
     "svymean(~api00, subset(as.svrepdesign(dclus1, type='JK1'), stype == 'E'))", "apiclus1", jk1,
     est("mean", "api00"), stat_expected(r), subset = list(column = "stype", equals = "E"))

r <- svyciprop(~I(sch.wide == "Yes"), subset(dclus1, stype == "E"), method = "beta")
emit("ciprop_domain_clus1.beta", "svyciprop method beta in the domain stype == E (nrow and df of the domain).",
     "svyciprop(~I(sch.wide == 'Yes'), subset(dclus1, stype == 'E'), method='beta')", "apiclus1", clus1,
     est("ciprop", "sch.wide", options = list(method = "beta", equals = "Yes")),
     list(labels = I("sch.wideYes"), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
          ci_low = I(as.vector(confint(r))[1]), ci_high = I(as.vector(confint(r))[2])),
     subset = list(column = "stype", equals = "E"))

x <- svychisq(~sch.wide + awards, subset(dstrat, stype == "E"), statistic = "F")
emit("chisq_domain_strat.F", "svychisq (F) of sch.wide and awards in the domain stype == E.",
     "svychisq(~sch.wide+awards, subset(dstrat, stype == 'E'), statistic='F')", "apistrat", strat,
     est("chisq", c("sch.wide", "awards"), options = list(statistic = "F")),
     list(statistic = as.vector(x$statistic), df = I(unname(x$parameter)), p_value = as.vector(x$p.value)),
     subset = list(column = "stype", equals = "E"))

t <- svyttest(api00 ~ sch.wide, subset(dstrat, stype == "M"))
emit("ttest_domain_strat.ttest", "svyttest of api00 by sch.wide in the domain stype == M.",
     "svyttest(api00~sch.wide, subset(dstrat, stype == 'M'))", "apistrat", strat, est("ttest", "api00", by = "sch.wide"),
     list(labels = I("difference in mean"), estimate = I(unname(t$estimate)),
          se = I(unname(t$estimate / t$statistic)), ci_low = I(unname(t$conf.int[1])),
          ci_high = I(unname(t$conf.int[2])), statistic = unname(t$statistic),
          df = unname(t$parameter), p_value = t$p.value),
     subset = list(column = "stype", equals = "M"))

# Design effects on a replicate design (mse=TRUE), and medians by domain.
jkmse <- clus1; jkmse$replicates <- list(type = "JK1", mse = TRUE)
r <- svymean(~api00, as.svrepdesign(dclus1, type = "JK1", mse = TRUE), deff = TRUE)
emit("rep_jk1_mse_deff.mean_api00", "Mean of api00 with deff on the JK1 design, mse=TRUE.",
     "svymean(~api00, as.svrepdesign(dclus1, type='JK1', mse=TRUE), deff=TRUE)", "apiclus1", jkmse,
     est("mean", "api00", options = list(deff = TRUE)), stat_expected(r, deff = TRUE))

q <- svyby(~api00, ~stype, dclus1, svyquantile, quantiles = 0.5, ci = TRUE)
# svyby's own confint() is estimate -/+ 1.96 se; the engine keeps each domain's Woodruff interval,
# i.e. that of svyquantile on the domain:
ci <- t(sapply(levels(apiclus1$stype), function(s)
  confint(svyquantile(~api00, subset(dclus1, stype == s), 0.5, ci = TRUE))))
emit("quantile_by_clus1.api00", "Medians of api00 by stype (svyby + svyquantile; intervals: Woodruff per domain, as svyquantile on each subset).",
     "svyby(~api00, ~stype, dclus1, svyquantile, quantiles=0.5, ci=TRUE)", "apiclus1", clus1,
     c(est("quantile", "api00", by = "stype", options = list(qrule = "math", interval_type = "mean")), list(quantiles = I(0.5))),
     list(labels = I(paste0(levels(apiclus1$stype), ":api00.0.5")), estimate = I(unname(coef(q))),
          se = I(as.vector(as.matrix(SE(q)))), ci_low = I(as.vector(ci[, 1])), ci_high = I(as.vector(ci[, 2]))))

# By-tables of calibrated designs: raked cluster design, GREG-calibrated stratified design.
raked <- rake(dclus1, list(~stype, ~sch.wide),
              list(data.frame(stype = c("E", "H", "M"), Freq = c(4421, 755, 1018)),
                   data.frame(sch.wide = c("No", "Yes"), Freq = c(1072, 5122))),
              control = list(maxit = 100, epsilon = 1e-12))  # the converged raking solution
r <- svyby(~api00 + enroll, ~awards, raked, svymean)
emit("svyby_raked_clus1.by", "Means of api00 and enroll by awards on the raked (stype, sch.wide) cluster design.",
     "svyby(~api00+enroll, ~awards, rake(dclus1, list(~stype, ~sch.wide), pops, control=list(maxit=100, epsilon=1e-12)), svymean)", "apiclus1", clus1,
     est("mean", c("api00", "enroll"), by = "awards"),
     stat_expected(r, c("No:api00", "Yes:api00", "No:enroll", "Yes:enroll")),
     calibration = list(method = "raking", margins = list(
       list(column = "stype", totals = list(E = 4421, H = 755, M = 1018)),
       list(column = "sch.wide", totals = list(No = 1072, Yes = 5122)))))

greg <- calibrate(dstrat, ~stype + api99, c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069))
r <- svyby(~api00, ~awards + sch.wide, greg, svytotal)
emit("svyby_greg_strat.by", "Totals of api00 by awards x sch.wide on the linearly calibrated stratified design.",
     "svyby(~api00, ~awards+sch.wide, calibrate(dstrat, ~stype+api99, pop), svytotal)", "apistrat", strat,
     est("total", "api00", by = c("awards", "sch.wide")),
     stat_expected(r, paste0(names(coef(r)), ":api00")),
     calibration = list(method = "linear",
                        margins = list(list(column = "stype", totals = list(E = 4421, H = 755, M = 1018))),
                        totals = list(`(Intercept)` = 6194, api99 = 3914069)))

# BRR replicates built from a design (R's Hadamard matrix, strata with two PSUs).
scd <- read("scd_ext")
dscd <- svydesign(id = ~ambulance, strata = ~ESA, nest = TRUE, data = scd)
brr <- suppressWarnings(as.svrepdesign(dscd, type = "BRR"))
spec <- design_spec(ids = list("ambulance"), strata = "ESA", nest = TRUE)
spec$replicates <- list(type = "BRR")
r <- svymean(~alive, brr)
emit("rep_brr_design.mean_alive", "Mean of alive on BRR replicates built from the scd design (as.svrepdesign type BRR).",
     "svymean(~alive, as.svrepdesign(svydesign(id=~ambulance, strata=~ESA, nest=TRUE, data=scd), type='BRR'))",
     "scd_ext", spec, est("mean", "alive"), stat_expected(r))
r <- svyratio(~alive, ~arrests, brr)
ci <- confint(r)
emit("rep_brr_design.ratio", "Ratio alive/arrests on BRR replicates built from the scd design.",
     "svyratio(~alive, ~arrests, as.svrepdesign(svydesign(id=~ambulance, strata=~ESA, nest=TRUE, data=scd), type='BRR'))",
     "scd_ext", spec, est("ratio", "alive", denominator = "arrests"),
     list(labels = I("alive/arrests"), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
          ci_low = I(as.vector(ci[, 1])), ci_high = I(as.vector(ci[, 2]))))

# BRR on ten strata (R uses a Paley matrix of order 12); strata labelled 1..10 sort as text in R,
# PSUs are numbered out of order within strata. The data are written here (engine/data/brr10.csv).
set.seed(20261126)
brr10 <- data.frame(stratum = rep(1:10, each = 6), psu = as.vector(sapply(1:10, function(h) rep(sample(c(2 * h, 2 * h - 1)), 3))),
                    w = round(runif(60, 1, 4), 2), y = round(rnorm(60, 50, 10), 1), x = round(runif(60, 5, 15), 1))
dir.create("data", showWarnings = FALSE)
write.csv(brr10, "data/brr10.csv", row.names = FALSE)
d10 <- svydesign(id = ~psu, strata = ~stratum, weights = ~w, data = brr10)
b10 <- as.svrepdesign(d10, type = "BRR")
spec <- design_spec(ids = list("psu"), strata = "stratum", weights = "w")
spec$replicates <- list(type = "BRR")
r <- svyratio(~y, ~x, b10)
ci <- confint(r)
case_ratio <- list(labels = I("y/x"), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
                   ci_low = I(as.vector(ci[, 1])), ci_high = I(as.vector(ci[, 2])))
emit("rep_brr_paley.ratio", "Ratio y/x on BRR replicates of a ten-stratum design (Paley matrix of order 12).",
     "svyratio(~y, ~x, as.svrepdesign(svydesign(id=~psu, strata=~stratum, weights=~w, data=brr10), type='BRR'))",
     "brr10", spec, est("ratio", "y", denominator = "x"), case_ratio)

# Every quantile rule, and the other Woodruff interval types, on the stratified design.
for (rule in c("hf1", "hf2", "hf3", "hf4", "hf5", "hf6", "hf8", "hf9", "shahvaish")) {
  q <- svyquantile(~api00, dstrat, c(0.1, 0.5, 0.9), qrule = rule)
  ci <- confint(q)
  emit(paste0("quantile_rule_", rule, ".api00"), paste0("Quantiles of api00, qrule='", rule, "'."),
       paste0("svyquantile(~api00, dstrat, c(0.1, 0.5, 0.9), qrule='", rule, "')"), "apistrat", strat,
       c(est("quantile", "api00", options = list(qrule = rule, interval_type = "mean")), list(quantiles = I(c(0.1, 0.5, 0.9)))),
       list(labels = I(c("api00.0.1", "api00.0.5", "api00.0.9")), estimate = I(unname(coef(q))), se = I(unname(SE(q))),
            ci_low = I(unname(ci[, 1])), ci_high = I(unname(ci[, 2]))))
}
for (type in c("beta", "asin")) {
  q <- svyquantile(~api00, dclus1, c(0.25, 0.75), interval.type = type)
  ci <- confint(q)
  emit(paste0("quantile_interval_", type, ".api00"), paste0("Quantiles of api00, interval.type='", type, "'."),
       paste0("svyquantile(~api00, dclus1, c(0.25, 0.75), interval.type='", type, "')"), "apiclus1", clus1,
       c(est("quantile", "api00", options = list(qrule = "math", interval_type = type)), list(quantiles = I(c(0.25, 0.75)))),
       list(labels = I(c("api00.0.25", "api00.0.75")), estimate = I(unname(coef(q))), se = I(unname(SE(q))),
            ci_low = I(unname(ci[, 1])), ci_high = I(unname(ci[, 2]))))
}

# Proportion intervals on a replicate design (logit: svyglm refitted on every replicate).
for (m in c("logit", "xlogit", "beta")) {
  r <- svyciprop(~I(sch.wide == "Yes"), as.svrepdesign(dclus1, type = "JK1"), method = m)
  emit(paste0("ciprop_jk1_clus1.", m), paste0("svyciprop method ", m, " on the JK1 design of apiclus1."),
       paste0("svyciprop(~I(sch.wide == 'Yes'), as.svrepdesign(dclus1, type='JK1'), method='", m, "')"), "apiclus1", jk1,
       est("ciprop", "sch.wide", options = list(method = m, equals = "Yes")),
       list(labels = I("sch.wideYes"), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
            ci_low = I(as.vector(confint(r))[1]), ci_high = I(as.vector(confint(r))[2])))
}

# Tests of independence on a replicate design (replicate covariance, df = degf of the design).
for (s in c("F", "Wald")) {
  x <- svychisq(~sch.wide + stype, as.svrepdesign(dclus1, type = "JK1"), statistic = s)
  emit(paste0("chisq_jk1_clus1.", s), paste0("svychisq statistic ", s, " on the JK1 design of apiclus1."),
       paste0("svychisq(~sch.wide+stype, as.svrepdesign(dclus1, type='JK1'), statistic='", s, "')"), "apiclus1", jk1,
       est("chisq", c("sch.wide", "stype"), options = list(statistic = s)),
       list(statistic = as.vector(x$statistic), df = I(unname(x$parameter)), p_value = as.vector(x$p.value)))
}
t <- svyttest(api00 ~ sch.wide, as.svrepdesign(dclus1, type = "JK1"))
emit("ttest_jk1_clus1.ttest", "svyttest of api00 by sch.wide on the JK1 design.",
     "svyttest(api00~sch.wide, as.svrepdesign(dclus1, type='JK1'))", "apiclus1", jk1, est("ttest", "api00", by = "sch.wide"),
     list(labels = I("difference in mean"), estimate = I(unname(t$estimate)),
          se = I(unname(t$estimate / t$statistic)), ci_low = I(unname(t$conf.int[1])),
          ci_high = I(unname(t$conf.int[2])), statistic = unname(t$statistic),
          df = unname(t$parameter), p_value = t$p.value))

# ---------------------------------------------------------------------------------------------
# R's other shipped data sets, whose weights vary (GPL, as the survey package): written to data/
# and read back, so that R computes on exactly the numbers the engine reads.
shipped <- function(name, frame) {
  path <- file.path("data", paste0(name, ".csv"))
  write.csv(frame, path, row.names = FALSE, na = "")
  read.csv(path, na.strings = "", stringsAsFactors = TRUE)
}
data(nhanes); data(yrbs); data(hospital)
nhanes <- shipped("nhanes", nhanes)
yrbs <- shipped("yrbs", yrbs)
hospital$census <- ave(hospital$hospno, hospital$oblevel, FUN = length)  # fpc = sample size: a census
hospital$big <- as.integer(hospital$births > 1000)  # derived: more than 1000 births
hospital <- shipped("hospital", hospital)
ciprop_expected <- function(r, label) {
  ci <- as.vector(confint(r))
  list(labels = I(label), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
       ci_low = I(ci[1]), ci_high = I(ci[2]))
}

# Proportion intervals with varying weights: every method on NHANES (HI_CHOL has missing values);
# the likelihood interval's dispersion uses Pearson residuals without the sampling weights.
dnhanes <- svydesign(id = ~SDMVPSU, strata = ~SDMVSTRA, weights = ~WTMEC2YR, nest = TRUE, data = nhanes)
nhanes_spec <- design_spec(ids = list("SDMVPSU"), strata = "SDMVSTRA", weights = "WTMEC2YR", nest = TRUE)
for (m in c("logit", "likelihood", "asin", "beta", "mean", "xlogit")) {
  r <- svyciprop(~I(HI_CHOL == 1), dnhanes, method = m, na.rm = TRUE)
  emit(paste0("ciprop_nhanes.", m), paste0("svyciprop method ", m, " of HI_CHOL on NHANES (varying weights, na.rm)."),
       paste0("svyciprop(~I(HI_CHOL == 1), svydesign(id=~SDMVPSU, strata=~SDMVSTRA, weights=~WTMEC2YR, nest=TRUE, data=nhanes), method='", m, "', na.rm=TRUE)"),
       "nhanes", nhanes_spec, est("ciprop", "HI_CHOL", na_rm = TRUE, options = list(method = m, equals = 1)),
       ciprop_expected(r, "HI_CHOL1"))
}
r <- svyciprop(~I(HI_CHOL == 1), subset(dnhanes, agecat == "(19,39]"), method = "likelihood", na.rm = TRUE)
emit("ciprop_nhanes_domain.likelihood", "svyciprop method likelihood of HI_CHOL in the domain agecat == (19,39] of NHANES.",
     "svyciprop(~I(HI_CHOL == 1), subset(dnhanes, agecat == '(19,39]'), method='likelihood', na.rm=TRUE)",
     "nhanes", nhanes_spec, est("ciprop", "HI_CHOL", na_rm = TRUE, options = list(method = "likelihood", equals = 1)),
     ciprop_expected(r, "HI_CHOL1"), subset = list(column = "agecat", equals = "(19,39]"))

# A large design effect (YRBS): the F quantile of the likelihood interval at a tiny alpha.
dyrbs <- svydesign(id = ~psu, strata = ~stratum, weights = ~weight, data = yrbs)
yrbs_spec <- design_spec(ids = list("psu"), strata = "stratum", weights = "weight")
for (m in c("likelihood", "logit")) {
  r <- svyciprop(~I(qn8 == 1), dyrbs, method = m, na.rm = TRUE)
  emit(paste0("ciprop_yrbs.", m), paste0("svyciprop method ", m, " of qn8 on YRBS (design effect about 230)."),
       paste0("svyciprop(~I(qn8 == 1), svydesign(id=~psu, strata=~stratum, weights=~weight, data=yrbs), method='", m, "', na.rm=TRUE)"),
       "yrbs", yrbs_spec, est("ciprop", "qn8", na_rm = TRUE, options = list(method = m, equals = 1)),
       ciprop_expected(r, "qn81"))
}

# A small stratified sample of hospitals with weights that differ by stratum.
dhosp <- svydesign(id = ~hospno, strata = ~oblevel, weights = ~weighta, fpc = ~tothosp, data = hospital)
hosp_spec <- design_spec(ids = list("hospno"), strata = "oblevel", weights = "weighta", fpc = list("tothosp"))
for (m in c("likelihood", "logit", "beta")) {
  r <- svyciprop(~I(big == 1), dhosp, method = m)
  emit(paste0("ciprop_hospital.", m), paste0("svyciprop method ", m, " of big (births > 1000) on the hospital sample."),
       paste0("svyciprop(~I(big == 1), svydesign(id=~hospno, strata=~oblevel, weights=~weighta, fpc=~tothosp, data=hospital), method='", m, "')"),
       "hospital", hosp_spec, est("ciprop", "big", options = list(method = m, equals = 1)),
       ciprop_expected(r, "big1"))
}

# Standard errors of exactly 0: a proportion of 0 in a domain (the beta interval is undefined,
# NaN in R), and a census (fpc = 1 everywhere) whose weights differ by stratum.
r <- svyciprop(~I(agecat == "(0,19]"), subset(dnhanes, agecat == "(59,Inf]"), method = "beta")
emit("ciprop_nhanes_zero.beta", "svyciprop method beta of a level absent from the domain (p = 0, se = 0): NaN interval.",
     "svyciprop(~I(agecat == '(0,19]'), subset(dnhanes, agecat == '(59,Inf]'), method='beta')",
     "nhanes", nhanes_spec, est("ciprop", "agecat", options = list(method = "beta", equals = "(0,19]")),
     ciprop_expected(r, "agecat(0,19]"), subset = list(column = "agecat", equals = "(59,Inf]"))
dcensus <- svydesign(id = ~1, strata = ~oblevel, weights = ~weighta, fpc = ~census, data = hospital)
census_spec <- design_spec(strata = "oblevel", weights = "weighta", fpc = list("census"))
for (type in c("beta", "mean")) {
  q <- svyquantile(~births, dcensus, 0.5, interval.type = type)
  ci <- confint(q)
  emit(paste0("quantile_census.", type), paste0("Median of births on a census (se = 0), interval.type='", type, "': the interval is the median."),
       paste0("svyquantile(~births, svydesign(id=~1, strata=~oblevel, weights=~weighta, fpc=~census, data=hospital), 0.5, interval.type='", type, "')"),
       "hospital", census_spec,
       c(est("quantile", "births", options = list(qrule = "math", interval_type = type)), list(quantiles = I(0.5))),
       list(labels = I("births.0.5"), estimate = I(unname(coef(q))), se = I(unname(SE(q))),
            ci_low = I(unname(ci[, 1])), ci_high = I(unname(ci[, 2]))))
}

# ---------------------------------------------------------------------------------------------
# Sampling with probability proportional to size without replacement: the 40 counties of
# election_pps (R's ?svydesign examples), their joint inclusion probabilities election_jointprob.
data(election)
election_pps$nader <- ifelse(election_pps$Nader > 0, "yes", "no")  # derived: the domain below
election_pps <- shipped("election_pps", election_pps)
write.csv(election_jointprob, file.path("data", "election_jointprob.csv"), row.names = FALSE)
jointprob <- unname(as.matrix(read.csv(file.path("data", "election_jointprob.csv"))))
psum <- sum(election$p^2) / 40  # Hartley-Rao's sum of squared probabilities over n
pps_designs <- list(
  brewer = list(design = svydesign(id = ~1, fpc = ~p, data = election_pps, pps = "brewer"),
                pps = "brewer", call = "pps='brewer'"),
  overton = list(design = svydesign(id = ~1, fpc = ~p, data = election_pps, pps = "overton"),
                 pps = "overton", call = "pps='overton'"),
  hr = list(design = svydesign(id = ~1, fpc = ~p, data = election_pps, pps = HR(psum)),
            pps = list(method = "HR", psum = psum), call = "pps=HR(sum(election$p^2)/40)"),
  hr1 = list(design = svydesign(id = ~1, fpc = ~p, data = election_pps, pps = HR()),
             pps = list(method = "HR"), call = "pps=HR()"),
  ppsmat = list(design = svydesign(id = ~1, fpc = ~p, data = election_pps, pps = ppsmat(jointprob)),
                pps = list(method = "ppsmat", joint = "../data/election_jointprob.csv"), call = "pps=ppsmat(election_jointprob)"),
  ppsmat_yg = list(design = svydesign(id = ~1, fpc = ~p, data = election_pps, pps = ppsmat(jointprob), variance = "YG"),
                   pps = list(method = "ppsmat", joint = "../data/election_jointprob.csv"), variance = "YG",
                   call = "pps=ppsmat(election_jointprob), variance='YG'"),
  hr_yg = list(design = svydesign(id = ~1, fpc = ~p, data = election_pps, pps = HR(psum), variance = "YG"),
               pps = list(method = "HR", psum = psum), variance = "YG", call = "pps=HR(sum(election$p^2)/40), variance='YG'"))
for (name in names(pps_designs)) {
  d <- pps_designs[[name]]
  spec <- design_spec(fpc = list("p"))
  spec$pps <- d$pps
  if (!is.null(d$variance)) spec$variance <- d$variance
  call <- paste0("svydesign(id=~1, fpc=~p, data=election_pps, ", d$call, ")")
  r <- svytotal(~Bush + Kerry + Nader, d$design)
  emit(paste0("pps_", name, ".total"), paste0("Totals of votes on the PPS sample of counties, ", d$call, "."),
       paste0("svytotal(~Bush+Kerry+Nader, ", call, ")"), "election_pps", spec,
       est("total", c("Bush", "Kerry", "Nader")), stat_expected(r))
  r <- svymean(~Bush, subset(d$design, Nader > 0))
  emit(paste0("pps_", name, ".domain_mean"), paste0("Mean of Bush votes in the domain Nader > 0 (", d$call, ")."),
       paste0("svymean(~Bush, subset(", call, ", Nader > 0))"), "election_pps", spec,
       est("mean", "Bush"), stat_expected(r), subset = list(column = "nader", equals = "yes"))
  r <- svyratio(~Bush, ~votes, d$design)
  ci <- confint(r)
  emit(paste0("pps_", name, ".ratio"), paste0("Ratio Bush/votes (", d$call, ")."),
       paste0("svyratio(~Bush, ~votes, ", call, ")"), "election_pps", spec,
       est("ratio", "Bush", denominator = "votes"),
       list(labels = I("Bush/votes"), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
            ci_low = I(as.vector(ci[, 1])), ci_high = I(as.vector(ci[, 2]))))
}
r <- svyby(~Bush + Kerry, ~nader, pps_designs$overton$design, svytotal)
spec <- design_spec(fpc = list("p")); spec$pps <- "overton"
emit("pps_overton.by", "Totals of Bush and Kerry votes by whether Nader got votes (Overton).",
     "svyby(~Bush+Kerry, ~nader, svydesign(id=~1, fpc=~p, data=election_pps, pps='overton'), svytotal)",
     "election_pps", spec, est("total", c("Bush", "Kerry"), by = "nader"),
     stat_expected(r, c("no:Bush", "yes:Bush", "no:Kerry", "yes:Kerry")))

# Population variances (svyvar): stratified, by domain, missing values, replicate and calibrated
# designs (standard errors of the mean of squared deviations, as R's).
var_expected <- function(r, labels, keep = seq(1, length(labels)^2, by = length(labels) + 1)) {
  # the variances (diagonal of svyvar's matrix); confint() as R's for svystat: normal quantile
  e <- as.vector(as.matrix(coef(r)))[keep]; se <- as.vector(as.matrix(SE(r)))[keep]
  list(labels = I(labels), estimate = I(e), se = I(se),
       ci_low = I(e - qnorm(0.975) * se), ci_high = I(e + qnorm(0.975) * se))
}
r <- svyvar(~api00, dstrat)
emit("var_strat.api00", "Population variance of api00, stratified design.", "svyvar(~api00, dstrat)",
     "apistrat", strat, est("var", "api00"), var_expected(r, "api00"))
r <- svyvar(~api00 + enroll, dstrat)
emit("var_strat.two", "Variances of api00 and enroll (the diagonal of svyvar's matrix).", "svyvar(~api00+enroll, dstrat)",
     "apistrat", strat, est("var", c("api00", "enroll")), var_expected(r, c("api00", "enroll")))
r <- svyby(~api00, ~stype, dclus1, svyvar)
emit("var_by_clus1.api00", "Variances of api00 by stype on the cluster design.", "svyby(~api00, ~stype, dclus1, svyvar)",
     "apiclus1", clus1, est("var", "api00", by = "stype"), stat_expected(r, paste0(levels(apiclus1$stype), ":api00")))
r <- svyvar(~acs.k3, dclus1, na.rm = TRUE)
emit("var_narm_clus1.acsk3", "Variance of acs.k3 with na.rm (n counts every row, as R).", "svyvar(~acs.k3, dclus1, na.rm=TRUE)",
     "apiclus1", clus1, est("var", "acs.k3", na_rm = TRUE), var_expected(r, "acs.k3"))
r <- svyvar(~HI_CHOL, subset(dnhanes, agecat == "(39,59]"), na.rm = TRUE)
emit("var_nhanes_domain.hichol", "Variance of HI_CHOL in a domain of NHANES (varying weights, na.rm).",
     "svyvar(~HI_CHOL, subset(dnhanes, agecat == '(39,59]'), na.rm=TRUE)", "nhanes", nhanes_spec,
     est("var", "HI_CHOL", na_rm = TRUE), var_expected(r, "HI_CHOL"), subset = list(column = "agecat", equals = "(39,59]"))
r <- svyvar(~api00, as.svrepdesign(dclus1, type = "JK1"))
emit("var_jk1.api00", "Variance of api00 on the JK1 design (every replicate recentred).",
     "svyvar(~api00, as.svrepdesign(dclus1, type='JK1'))", "apiclus1", jk1, est("var", "api00"), var_expected(r, "api00"))
r <- svyvar(~acs.k3, as.svrepdesign(dclus1, type = "JK1"), na.rm = TRUE)
emit("var_jk1_narm.acsk3", "Variance of acs.k3 on the JK1 design with na.rm (n counts the rows kept).",
     "svyvar(~acs.k3, as.svrepdesign(dclus1, type='JK1'), na.rm=TRUE)", "apiclus1", jk1,
     est("var", "acs.k3", na_rm = TRUE), var_expected(r, "acs.k3"))
r <- svyby(~api00 + enroll, ~awards, raked, svyvar)
emit("var_raked_by.two", "Variances of api00 and enroll by awards on the raked cluster design.",
     "svyby(~api00+enroll, ~awards, raked, svyvar)", "apiclus1", clus1,
     est("var", c("api00", "enroll"), by = "awards"),
     var_expected(r, c("No:api00", "Yes:api00", "No:enroll", "Yes:enroll"), keep = c(1, 2, 7, 8)),
     calibration = list(method = "raking", margins = list(
       list(column = "stype", totals = list(E = 4421, H = 755, M = 1018)),
       list(column = "sch.wide", totals = list(No = 1072, Yes = 5122)))))

# Fay's replicates: built from a design (as.svrepdesign type Fay) and read from columns.
fay <- as.svrepdesign(dscd, type = "Fay", fay.rho = 0.3)
spec <- design_spec(ids = list("ambulance"), strata = "ESA", nest = TRUE)
spec$replicates <- list(type = "Fay", fay_rho = 0.3)
r <- svymean(~alive + arrests, fay)
emit("rep_fay_design.mean", "Means of alive and arrests on Fay replicates (rho = 0.3) of the scd design.",
     "svymean(~alive+arrests, as.svrepdesign(svydesign(id=~ambulance, strata=~ESA, nest=TRUE, data=scd), type='Fay', fay.rho=0.3))",
     "scd_ext", spec, est("mean", c("alive", "arrests")), stat_expected(r))
r <- svyratio(~alive, ~arrests, fay)
ci <- confint(r)
emit("rep_fay_design.ratio", "Ratio alive/arrests on Fay replicates (rho = 0.3) of the scd design.",
     "svyratio(~alive, ~arrests, as.svrepdesign(dscd, type='Fay', fay.rho=0.3))", "scd_ext", spec,
     est("ratio", "alive", denominator = "arrests"),
     list(labels = I("alive/arrests"), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
          ci_low = I(as.vector(ci[, 1])), ci_high = I(as.vector(ci[, 2]))))
scd_fay <- scd
for (k in 1:4) scd_fay[[paste0("fay", k)]] <- ifelse(scd[[paste0("brr", k)]] == 2, 1.5, 0.5)  # rho = 0.5
scd_fay <- shipped("scd_fay", scd_fay)
dfay <- svrepdesign(data = scd_fay, type = "Fay", rho = 0.5, repweights = scd_fay[, paste0("fay", 1:4)], combined.weights = FALSE)
spec <- list(ids = list(), strata = NULL, weights = NULL, probs = NULL, fpc = list(), nest = FALSE,
             replicates = list(type = "Fay", weights_columns = I(paste0("fay", 1:4)), combined_weights = FALSE, rho = 0.5))
r <- svytotal(~alive, dfay)
emit("rep_fay_columns.total_alive", "Total of alive with Fay replicate weights read from columns (rho = 0.5).",
     "svytotal(~alive, svrepdesign(data=scd_fay, type='Fay', rho=0.5, repweights=~fay1+fay2+fay3+fay4, combined.weights=FALSE))",
     "scd_fay", spec, est("total", "alive"), stat_expected(r))

# as.svrepdesign's default type "auto": JK1 without strata, JKn with strata.
for (d in list(list(name = "clus1", design = dclus1, spec = clus1, data = "apiclus1"),
               list(name = "strat", design = dstrat, spec = strat, data = "apistrat"))) {
  spec <- d$spec; spec$replicates <- list(type = "auto")
  r <- svymean(~api00, as.svrepdesign(d$design))
  emit(paste0("rep_auto_", d$name, ".mean_api00"), paste0("Mean of api00 on as.svrepdesign's default replicates (", d$name, ")."),
       paste0("svymean(~api00, as.svrepdesign(d", d$name, "))"), d$data, spec, est("mean", "api00"), stat_expected(r))
}

# options(survey.ultimate.cluster=TRUE): only the first stage's variance, though fpc are given.
data(mu284)
mu284 <- shipped("mu284", mu284)
options(survey.ultimate.cluster = TRUE)
dmu <- svydesign(id = ~id1 + id2, fpc = ~n1 + n2, data = mu284)
spec <- design_spec(ids = list("id1", "id2"), fpc = list("n1", "n2")); spec$ultimate_cluster <- TRUE
r <- svytotal(~y1, dmu)
emit("ultimate_mu284.total_y1", "Total of y1 on the two-stage mu284 sample, survey.ultimate.cluster=TRUE.",
     "options(survey.ultimate.cluster=TRUE); svytotal(~y1, svydesign(id=~id1+id2, fpc=~n1+n2, data=mu284))",
     "mu284", spec, est("total", "y1"), stat_expected(r))
spec <- clus2; spec$ultimate_cluster <- TRUE
r <- svyby(~api00, ~stype, dclus2, svymean)
emit("ultimate_clus2.by", "Means of api00 by stype, two-stage design, survey.ultimate.cluster=TRUE.",
     "options(survey.ultimate.cluster=TRUE); svyby(~api00, ~stype, dclus2, svymean)", "apiclus2", spec,
     est("mean", "api00", by = "stype"), stat_expected(r, paste0(levels(apiclus2$stype), ":api00")))
options(survey.ultimate.cluster = FALSE)

# options(survey.adjust.domain.lonely=TRUE): a stratum with one PSU holding domain rows (of two)
# is treated as lonely in that domain (NHANES, race 3 and 4: strata 75 and 89).
for (policy in c("adjust", "average")) {
  options(survey.lonely.psu = policy, survey.adjust.domain.lonely = TRUE)
  spec <- nhanes_spec; spec$lonely_psu <- policy; spec$adjust_domain_lonely <- TRUE
  r <- svymean(~HI_CHOL, subset(dnhanes, race == 4), na.rm = TRUE)
  emit(paste0("domain_lonely_", policy, ".mean"), paste0("Mean of HI_CHOL for race 4 of NHANES, lonely.psu='", policy, "', adjust.domain.lonely=TRUE."),
       paste0("options(survey.lonely.psu='", policy, "', survey.adjust.domain.lonely=TRUE); svymean(~HI_CHOL, subset(dnhanes, race == 4), na.rm=TRUE)"),
       "nhanes", spec, est("mean", "HI_CHOL", na_rm = TRUE), stat_expected(r), subset = list(column = "race", equals = 4))
  r <- suppressWarnings(svyby(~HI_CHOL, ~race, dnhanes, svymean, na.rm = TRUE))
  emit(paste0("domain_lonely_", policy, ".by"), paste0("Means of HI_CHOL by race of NHANES, lonely.psu='", policy, "', adjust.domain.lonely=TRUE."),
       paste0("options(survey.lonely.psu='", policy, "', survey.adjust.domain.lonely=TRUE); svyby(~HI_CHOL, ~race, dnhanes, svymean, na.rm=TRUE)"),
       "nhanes", spec, est("mean", "HI_CHOL", by = "race", na_rm = TRUE), stat_expected(r, paste0(1:4, ":HI_CHOL")))
  r <- suppressWarnings(svyby(~HI_CHOL, ~race, dnhanes, svytotal, na.rm = TRUE))
  emit(paste0("domain_lonely_", policy, ".by_total"), paste0("Totals of HI_CHOL by race of NHANES, lonely.psu='", policy, "', adjust.domain.lonely=TRUE."),
       paste0("options(survey.lonely.psu='", policy, "', survey.adjust.domain.lonely=TRUE); svyby(~HI_CHOL, ~race, dnhanes, svytotal, na.rm=TRUE)"),
       "nhanes", spec, est("total", "HI_CHOL", by = "race", na_rm = TRUE), stat_expected(r, paste0(1:4, ":HI_CHOL")))
  r <- suppressWarnings(svyby(~HI_CHOL, ~race, denominator = ~RIAGENDR, dnhanes, svyratio, na.rm = TRUE))
  emit(paste0("domain_lonely_", policy, ".by_ratio"), paste0("Ratios HI_CHOL/RIAGENDR by race of NHANES, lonely.psu='", policy, "', adjust.domain.lonely=TRUE."),
       paste0("options(survey.lonely.psu='", policy, "', survey.adjust.domain.lonely=TRUE); svyby(~HI_CHOL, ~race, denominator=~RIAGENDR, dnhanes, svyratio, na.rm=TRUE)"),
       "nhanes", spec, est("ratio", "HI_CHOL", by = "race", na_rm = TRUE, denominator = "RIAGENDR"),
       stat_expected(r, paste0(1:4, ":HI_CHOL/RIAGENDR")))
}
options(survey.lonely.psu = "fail", survey.adjust.domain.lonely = FALSE)

# ---------------------------------------------------------------------------------------------
# Contrasts (svycontrast) keyed by the estimates' labels, intervals on the design's degrees of
# freedom (confint(., df=degf(design))); t-tests and tests of independence with missing values.
contrast_case <- function(id, description, r_call, data, spec, estimate, of, contrasts, r, df, ...) {
  ci <- confint(r, df = df)
  e <- estimate; e$statistic <- "contrast"; e$of <- of; e$contrasts <- contrasts
  emit(id, description, r_call, data, spec, e,
       list(labels = I(names(coef(r))), estimate = I(as.vector(coef(r))), se = I(as.vector(SE(r))),
            ci_low = I(as.vector(ci[, 1])), ci_high = I(as.vector(ci[, 2]))), ...)
}
r <- svycontrast(svymean(~api00 + api99, dstrat), c(api00 = 1, api99 = -1))
contrast_case("contrast_strat.change", "Change from api99 to api00 (one contrast, named 'contrast' as R).",
              "svycontrast(svymean(~api00+api99, dstrat), c(api00=1, api99=-1))", "apistrat", strat,
              est("mean", c("api00", "api99")), "mean", list(contrast = list(api00 = 1, api99 = -1)), r, degf(dstrat))
b <- svyby(~api00, ~stype, dclus1, svymean, covmat = TRUE)
r <- svycontrast(b, list(EvH = c(E = 1, H = -1), average = c(E = 1/3, H = 1/3, M = 1/3)))
contrast_case("contrast_by_clus1.two", "Two contrasts of the means of api00 by stype (svyby with covmat=TRUE).",
              "svycontrast(svyby(~api00, ~stype, dclus1, svymean, covmat=TRUE), list(EvH=c(E=1, H=-1), average=c(E=1/3, H=1/3, M=1/3)))",
              "apiclus1", clus1, est("mean", "api00", by = "stype", options = list(covariance = TRUE)), "mean",
              list(EvH = list(`E:api00` = 1, `H:api00` = -1), average = list(`E:api00` = 1/3, `H:api00` = 1/3, `M:api00` = 1/3)),
              r, degf(dclus1))
r <- svycontrast(svymean(~agecat, dnhanes), c(`agecat(19,39]` = 1, `agecat(0,19]` = -1))
contrast_case("contrast_nhanes.agecat", "Difference between the shares of two age groups of NHANES (varying weights).",
              "svycontrast(svymean(~agecat, dnhanes), c(`agecat(19,39]`=1, `agecat(0,19]`=-1))",
              "nhanes", nhanes_spec, est("mean", "agecat"), "mean",
              list(contrast = list(`agecat(19,39]` = 1, `agecat(0,19]` = -1)), r, degf(dnhanes))
jkd <- as.svrepdesign(dclus1, type = "JK1")
b <- svyby(~api00, ~sch.wide, jkd, svymean, covmat = TRUE)
r <- svycontrast(b, c(Yes = 1, No = -1))
contrast_case("contrast_jk1.by", "Difference of the means of api00 between sch.wide levels on the JK1 design (replicate covariance).",
              "svycontrast(svyby(~api00, ~sch.wide, as.svrepdesign(dclus1, type='JK1'), svymean, covmat=TRUE), c(Yes=1, No=-1))",
              "apiclus1", jk1, est("mean", "api00", by = "sch.wide", options = list(covariance = TRUE)), "mean",
              list(contrast = list(`Yes:api00` = 1, `No:api00` = -1)), r, degf(jkd))

ttest_expected <- function(t, label)
  list(labels = I(label), estimate = I(unname(t$estimate)), se = I(unname(t$estimate / t$statistic)),
       ci_low = I(unname(t$conf.int[1])), ci_high = I(unname(t$conf.int[2])), statistic = unname(t$statistic),
       df = unname(t$parameter), p_value = t$p.value)
t <- svyttest(acs.k3 ~ sch.wide, dclus1)
emit("ttest_narm_clus1.ttest", "svyttest of acs.k3 (39 missing values, left out as svyglm does) by sch.wide.",
     "svyttest(acs.k3~sch.wide, dclus1)", "apiclus1", clus1, est("ttest", "acs.k3", by = "sch.wide", na_rm = TRUE),
     ttest_expected(t, "difference in mean"))
t <- svyttest(HI_CHOL ~ RIAGENDR, dnhanes)
emit("ttest_nhanes.ttest", "svyttest of HI_CHOL (missing values left out) between the sexes of NHANES.",
     "svyttest(HI_CHOL~RIAGENDR, dnhanes)", "nhanes", nhanes_spec, est("ttest", "HI_CHOL", by = "RIAGENDR", na_rm = TRUE),
     ttest_expected(t, "difference in mean"))
t <- svyttest(enroll ~ 1, dstrat)
emit("ttest_one_sample_strat.ttest", "One-sample svyttest of enroll against 0 (df = degf - 1).",
     "svyttest(enroll~1, dstrat)", "apistrat", strat, est("ttest", "enroll"), ttest_expected(t, "mean"))
for (s in c("F", "Chisq")) {
  x <- svychisq(~HI_CHOL + agecat, dnhanes, statistic = s)
  emit(paste0("chisq_nhanes_narm.", s), paste0("svychisq statistic ", s, " of HI_CHOL and agecat on NHANES (missing values left out, R's default na.rm=TRUE)."),
       paste0("svychisq(~HI_CHOL+agecat, dnhanes, statistic='", s, "')"), "nhanes", nhanes_spec,
       est("chisq", c("HI_CHOL", "agecat"), na_rm = TRUE, options = list(statistic = s)),
       list(statistic = as.vector(x$statistic), df = I(unname(x$parameter)), p_value = as.vector(x$p.value)))
}

# ---------------------------------------------------------------------------------------------
# Calibration totals in R's form: each level but one named <column><level>, the reference level
# implied by the intercept (the case's "totals" are R's population vector as written).
rform <- list(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
r <- svymean(~api00 + enroll, calibrate(dstrat, ~stype + api99, unlist(rform)))
emit("calibrate_rform_strat.mean", "Means after calibrate(dstrat, ~stype+api99) with R's contrast-named totals.",
     "svymean(~api00+enroll, calibrate(dstrat, ~stype+api99, c(`(Intercept)`=6194, stypeH=755, stypeM=1018, api99=3914069)))",
     "apistrat", strat, est("mean", c("api00", "enroll")), stat_expected(r),
     calibration = list(method = "linear", totals = rform))
rform <- list(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, sch.wideYes = 5122)
cal <- calibrate(dclus1, ~stype + sch.wide, unlist(rform), calfun = "raking", bounds = c(0.5, 3))
r <- svytotal(~enroll + api00, cal)
emit("calibrate_rform_clus1.raking", "Totals after bounded raking calibration of the cluster design to R's contrast-named totals.",
     "svytotal(~enroll+api00, calibrate(dclus1, ~stype+sch.wide, c(`(Intercept)`=6194, stypeH=755, stypeM=1018, sch.wideYes=5122), calfun='raking', bounds=c(0.5, 3)))",
     "apiclus1", clus1, est("total", c("enroll", "api00")), stat_expected(r),
     calibration = list(method = "raking", totals = rform, bounds = I(c(0.5, 3))))
nh_total <- round(sum(weights(dnhanes)))
nh_age <- round(svytotal(~agecat, dnhanes)[-1] * c(1.05, 0.97, 1.02))
rform <- c(list(`(Intercept)` = nh_total), setNames(as.list(unname(nh_age)), paste0("agecat", levels(nhanes$agecat)[-1])))
cal <- calibrate(dnhanes, ~agecat, unlist(rform), calfun = "logit", bounds = c(0.7, 1.5))
r <- svyby(~HI_CHOL, ~RIAGENDR, cal, svymean, na.rm = TRUE)
emit("calibrate_rform_nhanes.logit", "Means of HI_CHOL by sex after logit calibration of NHANES to R's contrast-named age totals.",
     "svyby(~HI_CHOL, ~RIAGENDR, calibrate(dnhanes, ~agecat, pop, calfun='logit', bounds=c(0.7, 1.5)), svymean, na.rm=TRUE)",
     "nhanes", nhanes_spec, est("mean", "HI_CHOL", by = "RIAGENDR", na_rm = TRUE),
     stat_expected(r, c("1:HI_CHOL", "2:HI_CHOL")),
     calibration = list(method = "logit", totals = rform, bounds = I(c(0.7, 1.5))))
