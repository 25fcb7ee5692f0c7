"""claimkit: prepare, file and track AMO-E medical reimbursement claims."""
