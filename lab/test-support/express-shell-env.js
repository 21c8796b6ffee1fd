// jest.config.js's "express shell" project: the mocks' HTTP suites run again through the express shell.
process.env.SCIM_LAB_TEST_SHELL = 'express';
