metaflow_version = "0.0.0+fake"
