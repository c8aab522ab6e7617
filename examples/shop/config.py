"""Configuration classes. Config is what production loads."""


class Config:
    DEBUG = True
    SECRET_KEY = "change-me-but-nobody-did"
    SQLALCHEMY_TRACK_MODIFICATIONS = False


class DevelopmentConfig(Config):
    DEBUG = True  # fine: a development config may turn debug on


class ProductionConfig(Config):
    SQLALCHEMY_DATABASE_URI = "mysql://root:s3cr3t-root@10.0.0.5/shop"
