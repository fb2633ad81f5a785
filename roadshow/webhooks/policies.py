"""Who may see a webhook subscription and its deliveries: the partner that registered it."""


def owns_subscription(user, subscription) -> bool:
    return user.is_authenticated and subscription.owner_id == user.id
