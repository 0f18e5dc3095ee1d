package io.tessera.discount;

public enum PromotionKind { CODES, AUTO, LOYALTY, REFERRAL }
