# Reference values of test_calibration_reference.py, from R 4.2.2 and survey 4.1.1.
# Run from this folder: Rscript reference.R
suppressMessages(library(survey))
apiclus1 <- read.csv('../conformance/rsurvey/data/apiclus1.csv', na.strings='', stringsAsFactors=TRUE)
apistrat <- read.csv('../conformance/rsurvey/data/apistrat.csv', na.strings='', stringsAsFactors=TRUE)
options(digits=17)
dclus1 <- svydesign(id=~dnum, weights=~pw, fpc=~fpc, data=apiclus1)
dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, fpc=~fpc, data=apistrat)
# a. rake with a crossed margin stype x sch.wide and awards margin
cross <- data.frame(stype=rep(c("E","H","M"),2), sch.wide=rep(c("No","Yes"),each=3), Freq=c(600,250,220,3821,505,798))
awards <- data.frame(awards=c("No","Yes"), Freq=c(2300, 3894))
dr <- rake(dclus1, list(~stype+sch.wide, ~awards), list(cross, awards), control=list(maxit=200, epsilon=1e-13))
cat("A_weights", format(weights(dr)[1:5], digits=17), "\n")
m <- svymean(~api00, dr); cat("A_mean", coef(m), SE(m), "\n")
t <- svytotal(~enroll, dr); cat("A_total", coef(t), SE(t), "\n")
s <- svymean(~api00, subset(dr, comp.imp=="Yes")); cat("A_domain", coef(s), SE(s), "\n")
# b. logit calibration on stratified design, bounds
pop <- c(`(Intercept)`=6194, sch.wideYes=5122, api99=3914069)
dl <- calibrate(dstrat, ~sch.wide+api99, pop, calfun="logit", bounds=c(0.7,1.7), epsilon=1e-13, maxit=100)
m <- svymean(~api00, dl); cat("B_mean", coef(m), SE(m), "\n")
cat("B_g", range(weights(dl)/weights(dstrat)), "\n")
# c. JK1 replicate design calibrated (linear, unbounded) and raked
rclus1 <- as.svrepdesign(dclus1, type="JK1")
rl <- calibrate(rclus1, ~stype+api99, c(`(Intercept)`=6194, stypeH=755, stypeM=1018, api99=3914069))
m <- svymean(~api00, rl); cat("C_lin", coef(m), SE(m), "\n")
rr <- rake(rclus1, list(~stype, ~sch.wide), list(data.frame(stype=c("E","H","M"), Freq=c(4421,755,1018)), data.frame(sch.wide=c("No","Yes"), Freq=c(1072,5122))), control=list(maxit=200, epsilon=1e-13))
m <- svymean(~api00, rr); cat("C_rake", coef(m), SE(m), "\n")
# R only warns that replicate 11 fails to converge; the engine raises instead
rg <- calibrate(rclus1, ~stype+api99, c(`(Intercept)`=6194, stypeH=755, stypeM=1018, api99=3914069), calfun="raking", bounds=c(0.5,2), epsilon=1e-13, maxit=100)
m <- svymean(~api00, rg); cat("C_rakecal", coef(m), SE(m), "\n")
# d. trimWeights on stratified design
dt <- trimWeights(dstrat, upper=40, lower=20)
cat("D_w", range(weights(dt)), sum(weights(dt)), "\n")
m <- svymean(~api00, dt); cat("D_mean", coef(m), SE(m), "\n")
# e. postStratify crossed
pc <- postStratify(dclus1, ~stype+sch.wide, cross)
m <- svymean(~api00, pc); cat("E_mean", coef(m), SE(m), "\n")
m <- svytotal(~enroll, pc); cat("E_total", coef(m), SE(m), "\n")
# f. rake with R's default control (stops after 4 cycles, before convergence)
dd <- rake(dclus1, list(~stype, ~sch.wide), list(data.frame(stype=c("E","H","M"), Freq=c(4421,755,1018)), data.frame(sch.wide=c("No","Yes"), Freq=c(1072,5122))))
cat("F_weights", format(weights(dd)[1:3], digits=17), "\n")
m <- svymean(~api00, dd); cat("F_mean", coef(m), SE(m), "\n")
cat("F_stype", svytotal(~stype, dd)[1:3], "\n")
