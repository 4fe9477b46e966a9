"""A mock of Huawei Cloud IMS data-image creation, for tests and local development."""
