package dev.tributary.ingestion.repository;

import dev.tributary.ingestion.domain.Workspace;
import dev.tributary.ingestion.domain.WorkspaceKind;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * Workspaces with their contacts. Lists fetch the contacts in the same statement (not one more
 * query per workspace) and are ordered by (createdAt, id), the order of the index {@code
 * workspaces_created_at_id}. Pages are keyset pages in that order: a workspace created while a
 * reader pages through the directory comes last and never shifts the pages.
 */
@ApplicationScoped
public class WorkspaceRepository implements PanacheRepositoryBase<Workspace, UUID> {

  private static final String ALL_BY_CREATION =
      "from Workspace w left join fetch w.contacts order by w.createdAt, w.id";

  /** The page is chosen by the inner query (keyset, index order); the outer one adds contacts. */
  private static final String CUSTOMER_PAGE =
      """
      from Workspace w left join fetch w.contacts
      where w.id in (
          select c.id from Workspace c where c.kind = :kind %s
          order by c.createdAt, c.id limit :limit)
      order by w.createdAt, w.id
      """;

  private static final String FIRST_CUSTOMER_PAGE = CUSTOMER_PAGE.formatted("");

  private static final String CUSTOMER_PAGE_AFTER =
      CUSTOMER_PAGE.formatted("and (c.createdAt, c.id) > (:createdAt, :id)");

  /** Every workspace, probe included, oldest first. */
  public Uni<List<Workspace>> listByCreation() {
    return list(ALL_BY_CREATION);
  }

  /** The first {@code limit} customer workspaces (no probe workspace), oldest first. */
  public Uni<List<Workspace>> listCustomersByCreation(int limit) {
    return list(
        FIRST_CUSTOMER_PAGE, Parameters.with("kind", WorkspaceKind.CUSTOMER).and("limit", limit));
  }

  /** The next {@code limit} customer workspaces after {@code after} in (createdAt, id) order. */
  public Uni<List<Workspace>> listCustomersByCreationAfter(Workspace after, int limit) {
    return list(
        CUSTOMER_PAGE_AFTER,
        Parameters.with("kind", WorkspaceKind.CUSTOMER)
            .and("createdAt", after.createdAt)
            .and("id", after.id)
            .and("limit", limit));
  }
}
