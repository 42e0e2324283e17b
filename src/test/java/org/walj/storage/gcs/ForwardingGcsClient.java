package org.walj.storage.gcs;

import java.util.Objects;

/**
 * Forwards every call of the GCS client interface to another client: the base of a test client that changes a few
 * calls ({@link LocalStorageHelperStandIn}). Mechanical (one method per interface method of
 * google-cloud-storage 2.75.0); Java offers no way to forward an interface of 80 methods without reflection.
 */
@SuppressWarnings({"deprecation", "removal"})
abstract class ForwardingGcsClient implements com.google.cloud.storage.Storage {
    protected final com.google.cloud.storage.Storage delegate;

    protected ForwardingGcsClient(com.google.cloud.storage.Storage delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public com.google.cloud.storage.StorageOptions getOptions() {
        return delegate.getOptions();
    }

    @Override
    public com.google.cloud.storage.Bucket create(com.google.cloud.storage.BucketInfo a0, com.google.cloud.storage.Storage.BucketTargetOption... a1) {
        return delegate.create(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Blob create(com.google.cloud.storage.BlobInfo a0, com.google.cloud.storage.Storage.BlobTargetOption... a1) {
        return delegate.create(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Blob create(com.google.cloud.storage.BlobInfo a0, byte[] a1, com.google.cloud.storage.Storage.BlobTargetOption... a2) {
        return delegate.create(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.Blob create(com.google.cloud.storage.BlobInfo a0, byte[] a1, int a2, int a3, com.google.cloud.storage.Storage.BlobTargetOption... a4) {
        return delegate.create(a0, a1, a2, a3, a4);
    }

    @Override
    public com.google.cloud.storage.Blob create(com.google.cloud.storage.BlobInfo a0, java.io.InputStream a1, com.google.cloud.storage.Storage.BlobWriteOption... a2) {
        return delegate.create(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.Blob createFrom(com.google.cloud.storage.BlobInfo a0, java.nio.file.Path a1, com.google.cloud.storage.Storage.BlobWriteOption... a2) throws java.io.IOException {
        return delegate.createFrom(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.Blob createFrom(com.google.cloud.storage.BlobInfo a0, java.nio.file.Path a1, int a2, com.google.cloud.storage.Storage.BlobWriteOption... a3) throws java.io.IOException {
        return delegate.createFrom(a0, a1, a2, a3);
    }

    @Override
    public com.google.cloud.storage.Blob createFrom(com.google.cloud.storage.BlobInfo a0, java.io.InputStream a1, com.google.cloud.storage.Storage.BlobWriteOption... a2) throws java.io.IOException {
        return delegate.createFrom(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.Blob createFrom(com.google.cloud.storage.BlobInfo a0, java.io.InputStream a1, int a2, com.google.cloud.storage.Storage.BlobWriteOption... a3) throws java.io.IOException {
        return delegate.createFrom(a0, a1, a2, a3);
    }

    @Override
    public com.google.cloud.storage.Bucket get(java.lang.String a0, com.google.cloud.storage.Storage.BucketGetOption... a1) {
        return delegate.get(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Bucket lockRetentionPolicy(com.google.cloud.storage.BucketInfo a0, com.google.cloud.storage.Storage.BucketTargetOption... a1) {
        return delegate.lockRetentionPolicy(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Blob get(java.lang.String a0, java.lang.String a1, com.google.cloud.storage.Storage.BlobGetOption... a2) {
        return delegate.get(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.Blob get(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Storage.BlobGetOption... a1) {
        return delegate.get(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Blob get(com.google.cloud.storage.BlobId a0) {
        return delegate.get(a0);
    }

    @Override
    public com.google.cloud.storage.Blob restore(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Storage.BlobRestoreOption... a1) {
        return delegate.restore(a0, a1);
    }

    @Override
    public com.google.api.gax.paging.Page<com.google.cloud.storage.Bucket> list(com.google.cloud.storage.Storage.BucketListOption... a0) {
        return delegate.list(a0);
    }

    @Override
    public com.google.api.gax.paging.Page<com.google.cloud.storage.Blob> list(java.lang.String a0, com.google.cloud.storage.Storage.BlobListOption... a1) {
        return delegate.list(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Bucket update(com.google.cloud.storage.BucketInfo a0, com.google.cloud.storage.Storage.BucketTargetOption... a1) {
        return delegate.update(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Blob update(com.google.cloud.storage.BlobInfo a0, com.google.cloud.storage.Storage.BlobTargetOption... a1) {
        return delegate.update(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Blob update(com.google.cloud.storage.BlobInfo a0) {
        return delegate.update(a0);
    }

    @Override
    public boolean delete(java.lang.String a0, com.google.cloud.storage.Storage.BucketSourceOption... a1) {
        return delegate.delete(a0, a1);
    }

    @Override
    public boolean delete(java.lang.String a0, java.lang.String a1, com.google.cloud.storage.Storage.BlobSourceOption... a2) {
        return delegate.delete(a0, a1, a2);
    }

    @Override
    public boolean delete(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Storage.BlobSourceOption... a1) {
        return delegate.delete(a0, a1);
    }

    @Override
    public boolean delete(com.google.cloud.storage.BlobId a0) {
        return delegate.delete(a0);
    }

    @Override
    public com.google.cloud.storage.Blob compose(com.google.cloud.storage.Storage.ComposeRequest a0) {
        return delegate.compose(a0);
    }

    @Override
    public com.google.cloud.storage.CopyWriter copy(com.google.cloud.storage.Storage.CopyRequest a0) {
        return delegate.copy(a0);
    }

    @Override
    public byte[] readAllBytes(java.lang.String a0, java.lang.String a1, com.google.cloud.storage.Storage.BlobSourceOption... a2) {
        return delegate.readAllBytes(a0, a1, a2);
    }

    @Override
    public byte[] readAllBytes(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Storage.BlobSourceOption... a1) {
        return delegate.readAllBytes(a0, a1);
    }

    @Override
    public com.google.cloud.storage.StorageBatch batch() {
        return delegate.batch();
    }

    @Override
    public com.google.cloud.ReadChannel reader(java.lang.String a0, java.lang.String a1, com.google.cloud.storage.Storage.BlobSourceOption... a2) {
        return delegate.reader(a0, a1, a2);
    }

    @Override
    public com.google.cloud.ReadChannel reader(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Storage.BlobSourceOption... a1) {
        return delegate.reader(a0, a1);
    }

    @Override
    public void downloadTo(com.google.cloud.storage.BlobId a0, java.nio.file.Path a1, com.google.cloud.storage.Storage.BlobSourceOption... a2) {
        delegate.downloadTo(a0, a1, a2);
    }

    @Override
    public void downloadTo(com.google.cloud.storage.BlobId a0, java.io.OutputStream a1, com.google.cloud.storage.Storage.BlobSourceOption... a2) {
        delegate.downloadTo(a0, a1, a2);
    }

    @Override
    public com.google.cloud.WriteChannel writer(com.google.cloud.storage.BlobInfo a0, com.google.cloud.storage.Storage.BlobWriteOption... a1) {
        return delegate.writer(a0, a1);
    }

    @Override
    public com.google.cloud.WriteChannel writer(java.net.URL a0) {
        return delegate.writer(a0);
    }

    @Override
    public java.net.URL signUrl(com.google.cloud.storage.BlobInfo a0, long a1, java.util.concurrent.TimeUnit a2, com.google.cloud.storage.Storage.SignUrlOption... a3) {
        return delegate.signUrl(a0, a1, a2, a3);
    }

    @Override
    public com.google.cloud.storage.PostPolicyV4 generateSignedPostPolicyV4(com.google.cloud.storage.BlobInfo a0, long a1, java.util.concurrent.TimeUnit a2, com.google.cloud.storage.PostPolicyV4.PostFieldsV4 a3, com.google.cloud.storage.PostPolicyV4.PostConditionsV4 a4, com.google.cloud.storage.Storage.PostPolicyV4Option... a5) {
        return delegate.generateSignedPostPolicyV4(a0, a1, a2, a3, a4, a5);
    }

    @Override
    public com.google.cloud.storage.PostPolicyV4 generateSignedPostPolicyV4(com.google.cloud.storage.BlobInfo a0, long a1, java.util.concurrent.TimeUnit a2, com.google.cloud.storage.PostPolicyV4.PostFieldsV4 a3, com.google.cloud.storage.Storage.PostPolicyV4Option... a4) {
        return delegate.generateSignedPostPolicyV4(a0, a1, a2, a3, a4);
    }

    @Override
    public com.google.cloud.storage.PostPolicyV4 generateSignedPostPolicyV4(com.google.cloud.storage.BlobInfo a0, long a1, java.util.concurrent.TimeUnit a2, com.google.cloud.storage.PostPolicyV4.PostConditionsV4 a3, com.google.cloud.storage.Storage.PostPolicyV4Option... a4) {
        return delegate.generateSignedPostPolicyV4(a0, a1, a2, a3, a4);
    }

    @Override
    public com.google.cloud.storage.PostPolicyV4 generateSignedPostPolicyV4(com.google.cloud.storage.BlobInfo a0, long a1, java.util.concurrent.TimeUnit a2, com.google.cloud.storage.Storage.PostPolicyV4Option... a3) {
        return delegate.generateSignedPostPolicyV4(a0, a1, a2, a3);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Blob> get(com.google.cloud.storage.BlobId... a0) {
        return delegate.get(a0);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Blob> get(java.lang.Iterable<com.google.cloud.storage.BlobId> a0) {
        return delegate.get(a0);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Blob> update(com.google.cloud.storage.BlobInfo... a0) {
        return delegate.update(a0);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Blob> update(java.lang.Iterable<com.google.cloud.storage.BlobInfo> a0) {
        return delegate.update(a0);
    }

    @Override
    public java.util.List<java.lang.Boolean> delete(com.google.cloud.storage.BlobId... a0) {
        return delegate.delete(a0);
    }

    @Override
    public java.util.List<java.lang.Boolean> delete(java.lang.Iterable<com.google.cloud.storage.BlobId> a0) {
        return delegate.delete(a0);
    }

    @Override
    public com.google.cloud.storage.Acl getAcl(java.lang.String a0, com.google.cloud.storage.Acl.Entity a1, com.google.cloud.storage.Storage.BucketSourceOption... a2) {
        return delegate.getAcl(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.Acl getAcl(java.lang.String a0, com.google.cloud.storage.Acl.Entity a1) {
        return delegate.getAcl(a0, a1);
    }

    @Override
    public boolean deleteAcl(java.lang.String a0, com.google.cloud.storage.Acl.Entity a1, com.google.cloud.storage.Storage.BucketSourceOption... a2) {
        return delegate.deleteAcl(a0, a1, a2);
    }

    @Override
    public boolean deleteAcl(java.lang.String a0, com.google.cloud.storage.Acl.Entity a1) {
        return delegate.deleteAcl(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Acl createAcl(java.lang.String a0, com.google.cloud.storage.Acl a1, com.google.cloud.storage.Storage.BucketSourceOption... a2) {
        return delegate.createAcl(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.Acl createAcl(java.lang.String a0, com.google.cloud.storage.Acl a1) {
        return delegate.createAcl(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Acl updateAcl(java.lang.String a0, com.google.cloud.storage.Acl a1, com.google.cloud.storage.Storage.BucketSourceOption... a2) {
        return delegate.updateAcl(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.Acl updateAcl(java.lang.String a0, com.google.cloud.storage.Acl a1) {
        return delegate.updateAcl(a0, a1);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Acl> listAcls(java.lang.String a0, com.google.cloud.storage.Storage.BucketSourceOption... a1) {
        return delegate.listAcls(a0, a1);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Acl> listAcls(java.lang.String a0) {
        return delegate.listAcls(a0);
    }

    @Override
    public com.google.cloud.storage.Acl getDefaultAcl(java.lang.String a0, com.google.cloud.storage.Acl.Entity a1) {
        return delegate.getDefaultAcl(a0, a1);
    }

    @Override
    public boolean deleteDefaultAcl(java.lang.String a0, com.google.cloud.storage.Acl.Entity a1) {
        return delegate.deleteDefaultAcl(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Acl createDefaultAcl(java.lang.String a0, com.google.cloud.storage.Acl a1) {
        return delegate.createDefaultAcl(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Acl updateDefaultAcl(java.lang.String a0, com.google.cloud.storage.Acl a1) {
        return delegate.updateDefaultAcl(a0, a1);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Acl> listDefaultAcls(java.lang.String a0) {
        return delegate.listDefaultAcls(a0);
    }

    @Override
    public com.google.cloud.storage.Acl getAcl(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Acl.Entity a1) {
        return delegate.getAcl(a0, a1);
    }

    @Override
    public boolean deleteAcl(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Acl.Entity a1) {
        return delegate.deleteAcl(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Acl createAcl(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Acl a1) {
        return delegate.createAcl(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Acl updateAcl(com.google.cloud.storage.BlobId a0, com.google.cloud.storage.Acl a1) {
        return delegate.updateAcl(a0, a1);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Acl> listAcls(com.google.cloud.storage.BlobId a0) {
        return delegate.listAcls(a0);
    }

    @Override
    public com.google.cloud.storage.HmacKey createHmacKey(com.google.cloud.storage.ServiceAccount a0, com.google.cloud.storage.Storage.CreateHmacKeyOption... a1) {
        return delegate.createHmacKey(a0, a1);
    }

    @Override
    public com.google.api.gax.paging.Page<com.google.cloud.storage.HmacKey.HmacKeyMetadata> listHmacKeys(com.google.cloud.storage.Storage.ListHmacKeysOption... a0) {
        return delegate.listHmacKeys(a0);
    }

    @Override
    public com.google.cloud.storage.HmacKey.HmacKeyMetadata getHmacKey(java.lang.String a0, com.google.cloud.storage.Storage.GetHmacKeyOption... a1) {
        return delegate.getHmacKey(a0, a1);
    }

    @Override
    public void deleteHmacKey(com.google.cloud.storage.HmacKey.HmacKeyMetadata a0, com.google.cloud.storage.Storage.DeleteHmacKeyOption... a1) {
        delegate.deleteHmacKey(a0, a1);
    }

    @Override
    public com.google.cloud.storage.HmacKey.HmacKeyMetadata updateHmacKeyState(com.google.cloud.storage.HmacKey.HmacKeyMetadata a0, com.google.cloud.storage.HmacKey.HmacKeyState a1, com.google.cloud.storage.Storage.UpdateHmacKeyOption... a2) {
        return delegate.updateHmacKeyState(a0, a1, a2);
    }

    @Override
    public com.google.cloud.Policy getIamPolicy(java.lang.String a0, com.google.cloud.storage.Storage.BucketSourceOption... a1) {
        return delegate.getIamPolicy(a0, a1);
    }

    @Override
    public com.google.cloud.Policy setIamPolicy(java.lang.String a0, com.google.cloud.Policy a1, com.google.cloud.storage.Storage.BucketSourceOption... a2) {
        return delegate.setIamPolicy(a0, a1, a2);
    }

    @Override
    public java.util.List<java.lang.Boolean> testIamPermissions(java.lang.String a0, java.util.List<java.lang.String> a1, com.google.cloud.storage.Storage.BucketSourceOption... a2) {
        return delegate.testIamPermissions(a0, a1, a2);
    }

    @Override
    public com.google.cloud.storage.ServiceAccount getServiceAccount(java.lang.String a0) {
        return delegate.getServiceAccount(a0);
    }

    @Override
    public com.google.cloud.storage.Notification createNotification(java.lang.String a0, com.google.cloud.storage.NotificationInfo a1) {
        return delegate.createNotification(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Notification getNotification(java.lang.String a0, java.lang.String a1) {
        return delegate.getNotification(a0, a1);
    }

    @Override
    public java.util.List<com.google.cloud.storage.Notification> listNotifications(java.lang.String a0) {
        return delegate.listNotifications(a0);
    }

    @Override
    public boolean deleteNotification(java.lang.String a0, java.lang.String a1) {
        return delegate.deleteNotification(a0, a1);
    }

    @Override
    public com.google.cloud.storage.Blob moveBlob(com.google.cloud.storage.Storage.MoveBlobRequest a0) {
        return delegate.moveBlob(a0);
    }
}
