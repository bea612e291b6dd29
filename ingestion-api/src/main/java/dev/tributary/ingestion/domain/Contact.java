package dev.tributary.ingestion.domain;

import jakarta.persistence.Embeddable;

/** A person designated in the account for legal notices (Terms of Service §9.5). */
@Embeddable
public class Contact {

  public String name;
  public String email;
  public String phone;

  public Contact() {}

  public Contact(String name, String email, String phone) {
    this.name = name;
    this.email = email;
    this.phone = phone;
  }
}
