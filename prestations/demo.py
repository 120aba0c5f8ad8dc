from ale_platform.demo import DemoContext


def seed(ctx: DemoContext) -> None:
    """Prestations and vouchers arrive with their issue."""
