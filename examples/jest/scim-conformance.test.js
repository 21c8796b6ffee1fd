// One jest test per requirement of the scim-lab catalogue, grouped by suite, against SCIM_LAB_TARGET_URL.
require('scim-lab/jest').describeConformance();
